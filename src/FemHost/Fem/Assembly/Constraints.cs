using FemHost.LinearAlgebra;

namespace FemHost.Fem.Assembly;

/// <summary>
/// Eliminates prescribed equations from an assembled system: their rows and columns are zeroed and the
/// diagonal kept (or set to 1 if zero), so K δu = r gives δu_p = r_p / K_pp, and the Newton solver
/// sets r_p = 0 for corrections (the prescribed increment enters through the right-hand side, −K_fp Δū_p).
/// </summary>
public static class Constraints
{
    /// <summary>Zeroes the rows and columns of prescribed equations, keeping a positive diagonal.</summary>
    public static void Eliminate(CsrMatrix k, bool[] prescribed)
    {
        Parallel.For(0, k.Size, i =>
        {
            for (int p = k.RowPointers[i]; p < k.RowPointers[i + 1]; p++)
            {
                int j = k.ColumnIndices[p];
                if (i == j)
                {
                    if (prescribed[i] && k.Values[p] == 0)
                    {
                        k.Values[p] = 1;
                    }
                }
                else if (prescribed[i] || prescribed[j])
                {
                    k.Values[p] = 0;
                }
            }
        });
    }
}

using FemHost.MaterialSdk;

namespace FemHost.Materials.NeuralSurrogate;

/// <summary>
/// The "NeuralSurrogate" material: the paper's data-driven constitutive model for implicit FEM (§5.2):
/// stress from NN1(ε, φ) (eq. 8) and the tangent from NN2(ε, φ) (eq. 9) or from the exact Jacobian of
/// NN1, with φ_j = Σ|Δε_j| (eq. 5) kept as state. Networks are trained by <c>femhost-train</c> and run
/// here in managed code, batched over all points of a call; no libtorch is needed at FEM run time.
/// </summary>
public sealed class NeuralSurrogatePlugin : IMaterialPlugin
{
    /// <summary>Value of <c>nn2_model</c> that means "no tangent network".</summary>
    public const string NoModel = "none";

    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; } = new()
    {
        Name = "NeuralSurrogate",
        Version = new Version(1, 0, 0),
        Description = "Neural-network surrogate (Qu et al. 2023, §5.2): stress from an MLP NN1(strain, phi), tangent = exact Jacobian of NN1 "
            + "(Consistent), a tangent MLP NN2 (Approximate), or NN1's virgin-state stiffness (Elastic); phi = accumulated |strain increments| "
            + "is the state. Model files are written by femhost-train. Plane strain.",
        Parameters =
        [
            ParameterInfo.File("nn1_model", "stress network NN1 (femhost-neural-model JSON file, role stress, or a femhost-neural-ensemble file whose members' mean runs)"),
            ParameterInfo.File("nn2_model", "tangent network NN2 (role tangent), needed for the Approximate tangent; 'none' for no file", NoModel),
            ParameterInfo.Choice("anchor_initial_stress", "yes: σ = NN1(ε, φ) + σ0 − NN1(0, 0) so the initial state is in equilibrium exactly; no: σ = NN1(ε, φ) (paper eq. 8)", "yes", "yes", "no"),
            ParameterInfo.Real("phi_smoothing", "-", "δ of the regularised |Δε| = Δε·tanh(Δε/δ) in φ (0: exact |Δε|); smooths the update where a strain component reverses", 0.0, min: 0, max: 1e-3),
        ],
        StateVariables =
        [
            new StateVariableInfo("phi_11", "-", "accumulated |Δε11| (paper eq. 5)"),
            new StateVariableInfo("phi_22", "-", "accumulated |Δε22|"),
            new StateVariableInfo("phi_33", "-", "accumulated |Δε33| (zero in plane strain)"),
            new StateVariableInfo("phi_12", "-", "accumulated |Δγ12|"),
            new StateVariableInfo("offset_11", "kPa", "σ0 − NN1(0, 0) for σ11 (anchoring to the initial stress; 0 when off)"),
            new StateVariableInfo("offset_22", "kPa", "σ0 − NN1(0, 0) for σ22"),
            new StateVariableInfo("offset_33", "kPa", "σ0 − NN1(0, 0) for σ33 (0 unless NN1 predicts σ33)"),
            new StateVariableInfo("offset_12", "kPa", "σ0 − NN1(0, 0) for σ12"),
        ],
        Hypotheses = [ModellingHypothesis.PlaneStrain],
        TangentKinds = [TangentKind.Consistent, TangentKind.Approximate, TangentKind.Elastic],
        IsThreadSafe = true,
    };

    /// <inheritdoc/>
    public IMaterialModel Create(MaterialParameters parameters, ModellingHypothesis hypothesis)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var nn1 = LoadNetwork(parameters.Text("nn1_model"), "nn1_model", NetworkRole.Stress);
        var nn2Path = parameters.Text("nn2_model");
        var nn2 = Path.GetFileName(nn2Path) == NoModel && !File.Exists(nn2Path) ? null : LoadNetwork(nn2Path, "nn2_model", NetworkRole.Tangent);
        return new NeuralSurrogateMaterial(Metadata, hypothesis, nn1, nn2, parameters.Real("phi_smoothing"), parameters.Text("anchor_initial_stress") == "yes");
    }

    /// <summary>A model file, or an ensemble file whose members' mean runs (<see cref="NeuralEnsembleFile"/>).</summary>
    private ISurrogateNetwork LoadNetwork(string path, string key, NetworkRole role)
    {
        try
        {
            if (NeuralEnsembleFile.IsEnsemble(path))
            {
                var ensemble = NeuralEnsembleFile.Load(path);
                if (ensemble.Role != role)
                {
                    throw new ModelFileException(path, $"is an ensemble of {ensemble.Role.ToString().ToLowerInvariant()} networks, but '{key}' needs {role.ToString().ToLowerInvariant()} networks");
                }

                return ensemble.ToEnsemble(path);
            }

            var file = NeuralModelFile.Load(path);
            if (file.Role != role)
            {
                throw new ModelFileException(path, $"is a {file.Role.ToString().ToLowerInvariant()} network, but '{key}' needs a {role.ToString().ToLowerInvariant()} network");
            }

            return file.ToNetwork(path);
        }
        catch (ModelFileException e)
        {
            throw new MaterialParameterException(Metadata.Name, key, e.Message);
        }
    }
}

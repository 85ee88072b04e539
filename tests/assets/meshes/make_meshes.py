#!/usr/bin/env python3
"""Writes the structured Q8 meshes (Gmsh 4.1 ASCII) used by cases/verification/.

Debian's gmsh was not installable on the build machine, so these files are generated here from
mapped structured grids; they use only what GmshReader reads: $PhysicalNames, $Entities, $Nodes and
$Elements with 8-node quadrangles (type 16) and 3-node lines (type 8). Run from this folder:
    python3 make_meshes.py
"""
import math


def structured(nx, ny, mapping):
    """Q8 grid on the unit square mapped by mapping(s, t) -> (x, y); returns nodes, quads, edge lists."""
    tags, coords = {}, []
    for j in range(2 * ny + 1):
        for i in range(2 * nx + 1):
            if i % 2 == 1 and j % 2 == 1:
                continue
            tags[(i, j)] = len(coords) + 1
            coords.append(mapping(i / (2 * nx), j / (2 * ny)))
    n = lambda i, j: tags[(i, j)]
    quads = []
    for ey in range(ny):
        for ex in range(nx):
            i, j = 2 * ex, 2 * ey
            quads.append((ex, ey, [n(i, j), n(i + 2, j), n(i + 2, j + 2), n(i, j + 2),
                                   n(i + 1, j), n(i + 2, j + 1), n(i + 1, j + 2), n(i, j + 1)]))
    gx, gy = 2 * nx, 2 * ny
    edges = {
        "bottom": [(t, [n(2 * t, 0), n(2 * t + 2, 0), n(2 * t + 1, 0)]) for t in range(nx)],
        "right": [(t, [n(gx, 2 * t), n(gx, 2 * t + 2), n(gx, 2 * t + 1)]) for t in range(ny)],
        "top": [(t, [n(2 * t + 2, gy), n(2 * t, gy), n(2 * t + 1, gy)]) for t in range(nx)],
        "left": [(t, [n(0, 2 * t + 2), n(0, 2 * t), n(0, 2 * t + 1)]) for t in range(ny)],
    }
    return coords, quads, edges


def write(path, coords, surface, curves, comment):
    """surface: name -> quads; curves: name -> list of line3 node lists."""
    names = [(1, i + 1, name) for i, name in enumerate(curves)] + [(2, 100, surface[0])]
    lines = ["$MeshFormat", "4.1 0 8", "$EndMeshFormat", "$Comments", comment, "$EndComments",
             "$PhysicalNames", str(len(names))] + [f'{d} {t} "{nm}"' for d, t, nm in names] + ["$EndPhysicalNames"]
    lines += ["$Entities", f"0 {len(curves)} 1 0"]
    for i, _ in enumerate(curves):
        lines.append(f"{i + 1} 0 0 0 0 0 0 1 {i + 1} 0")
    lines.append("1 0 0 0 0 0 0 1 100 0")
    lines.append("$EndEntities")
    lines += ["$Nodes", f"1 {len(coords)} 1 {len(coords)}", f"2 1 0 {len(coords)}"]
    lines += [str(k + 1) for k in range(len(coords))]
    lines += [f"{x!r} {y!r} 0" for x, y in coords]
    lines.append("$EndNodes")
    total = sum(len(v) for v in curves.values()) + len(surface[1])
    lines += ["$Elements", f"{len(curves) + 1} {total} 1 {total}"]
    tag = 1
    for i, (name, segs) in enumerate(curves.items()):
        lines.append(f"1 {i + 1} 8 {len(segs)}")
        for s in segs:
            lines.append(f"{tag} " + " ".join(map(str, s)))
            tag += 1
    lines.append(f"2 1 16 {len(surface[1])}")
    for q in surface[1]:
        lines.append(f"{tag} " + " ".join(map(str, q)))
        tag += 1
    lines.append("$EndElements")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def geometric(n, ratio):
    h = [ratio ** i for i in range(n)]
    s, out, acc = sum(h), [0.0], 0.0
    for v in h:
        acc += v / s
        out.append(acc)
    out[-1] = 1.0
    return out


def piecewise(knots):
    """Maps u in [0, 1] (n cells of equal size) onto the breakpoints, linearly inside each cell."""
    n = len(knots) - 1
    def f(u):
        t = u * n
        i = min(int(math.floor(t)), n - 1)
        return knots[i] + (t - i) * (knots[i + 1] - knots[i])
    return f


# Quarter of a thick-walled cylinder a = 1, b = 2 (r along the grid's s, θ along t).
a, b = 1.0, 2.0
coords, quads, edges = structured(8, 4, lambda s, t: ((a + (b - a) * s) * math.cos(math.pi / 2 * t),
                                                      (a + (b - a) * s) * math.sin(math.pi / 2 * t)))
write("quarter-ring-8x4-q8.msh", coords, ("ring", [q for _, _, q in quads]),
      {"inner": [e for _, e in edges["left"]], "outer": [e for _, e in edges["right"]],
       "symmetry_y0": [e for _, e in edges["bottom"]], "symmetry_x0": [e for _, e in edges["top"]]},
      "quarter ring a = 1, b = 2, 8 x 4 Q8 (make_meshes.py)")

def footing(path, under, beside, ratio_x, depth_cells, ratio_y):
    """Half of a strip footing problem: soil 6 x 5 below the surface y = 0, footing half-width 1 at x in [0, 1]."""
    xs = [k / under for k in range(under + 1)] + [1.0 + 5.0 * g for g in geometric(beside, ratio_x)[1:]]
    ys = [-5.0 * g for g in geometric(depth_cells, ratio_y)][::-1]
    fx, fy = piecewise(xs), piecewise(ys)
    coords, quads, edges = structured(len(xs) - 1, len(ys) - 1, lambda s, t: (fx(s), fy(t)))
    top = edges["top"]
    write(path, coords, ("soil", [q for _, _, q in quads]),
          {"footing": [e for t, e in top if t < under], "surface": [e for t, e in top if t >= under],
           "base": [e for _, e in edges["bottom"]], "axis": [e for _, e in edges["left"]], "far": [e for _, e in edges["right"]]},
          f"half strip footing, soil 6 x 5, footing half-width 1, graded Q8 {len(xs) - 1} x {len(ys) - 1} (make_meshes.py)")


footing("strip-footing-q8.msh", 4, 6, 1.5, 8, 1.45)
footing("strip-footing-fine-q8.msh", 12, 14, 1.22, 20, 1.17)

// femhost-experiments: the paper-reproduction pipeline (Qu, Zhao, Guan & Feng 2023), one verb per experiment.
//   femhost-experiments [--quick|--full] [--out DIR] EXPERIMENT...   (EXPERIMENT = a name below or 'all')
// Exit codes: 0 ok, 1 an experiment failed (one-paragraph message), 2 usage.
using FemHost.Experiments;

return ExperimentCli.Run(args);

using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/StaticNet.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

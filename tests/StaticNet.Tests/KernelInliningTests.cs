using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using StaticNet;
using Xunit;

namespace StaticNet.Tests;

/// <summary>FMNIST's shape: panel layers whose rows are read in order or through the list of non-zero inputs.</summary>
[Network(Inputs = 784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class InliningProbeNet;

/// <summary>Sizes that are no multiple of a vector or a panel, and a unit-major output layer.</summary>
[Network(Inputs = 37)]
[Dense(70, Activation.Tanh)]
[Dense(45, Activation.ReLU)]
[Dense(3, Activation.Linear)]
public partial class OddInliningProbeNet;

/// <summary>Every other activation, each applied in registers by the kernel, in layers of sizes no multiple of a vector.</summary>
[Network(Inputs = 20)]
[Dense(40, Activation.GELU)]
[Dense(24, Activation.Sigmoid)]
[Dense(36, Activation.ELU)]
[Dense(18, Activation.SiLU)]
[Dense(50, Activation.Softplus)]
[Dense(9, Activation.LeakyReLU)]
[Dense(2, Activation.Linear)]
public partial class ActivationsInliningProbeNet;

/// <summary>
/// Runs on its own, after the tests that run in parallel: the runtime delivers its JIT events through a buffer that can
/// drop them while the whole process compiles at once, and alongside the other tests this test failed once in some twenty
/// runs, by its duration for want of a report that never came.
/// </summary>
[CollectionDefinition(nameof(KernelInliningTests), DisableParallelization = true)]
public sealed class JitEventsCollection;

/// <summary>
/// A generated layer is fast only when the JIT inlines the runtime's kernel into it, sizes and activation constant; a
/// kernel the JIT leaves as a call computes the same outputs, slower, so only the JIT's own account of what it would
/// not inline shows it. These networks are used by no other test, so their layers are compiled here, first.
/// </summary>
[Collection(nameof(KernelInliningTests))]
public class KernelInliningTests
{
    public static TheoryData<string> Probes => new() { nameof(InliningProbeNet), nameof(OddInliningProbeNet), nameof(ActivationsInliningProbeNet) };

    [Theory]
    [MemberData(nameof(Probes))]
    public void Every_layer_inlines_its_kernels_whole(string name)
    {
        INetwork network = name switch
        {
            nameof(InliningProbeNet) => new InliningProbeNet(seed: 1),
            nameof(OddInliningProbeNet) => new OddInliningProbeNet(seed: 1),
            _ => new ActivationsInliningProbeNet(seed: 1),
        };
        float[] input = new float[network.Shape.Inputs];
        for (int i = 0; i < input.Length; i++)
        {
            // Half the inputs zero, so that layers which list their non-zero inputs take that path too.
            input[i] = i % 2 == 0 ? 0f : (i % 7) - 3.5f;
        }

        float[] output = new float[network.Shape.Outputs];
        int layers = network.Shape.Layers.Count;
        using var jit = new JitEvents(name);
        network.Predict(input, output);

        Assert.True(jit.WaitForCompiled(layers, TimeSpan.FromSeconds(30)), $"the JIT reported compiling {jit.CompiledLayers} of {name}'s {layers} layers");
        Assert.True(jit.KernelsNotInlined.Length == 0, string.Join("\n", jit.KernelsNotInlined));
    }

    /// <summary>The runtime's reports of the JIT compiling one network type's layer methods and what it did not inline into them.</summary>
    private sealed class JitEvents : EventListener
    {
        // The JIT keyword reports the methods compiled; JitTracing, what was not inlined into them.
        private const EventKeywords Jit = (EventKeywords)0x10;
        private const EventKeywords JitTracing = (EventKeywords)0x1000;

        private readonly string _type;
        private readonly ConcurrentDictionary<string, bool> _compiled = new();
        private readonly ConcurrentQueue<string> _notInlined = new();

        public JitEvents(string type)
        {
            _type = type;
        }

        public int CompiledLayers => _compiled.Count;

        /// <summary>Each kernel call the JIT left in a layer, with its reason; calls that are calls by design are left out.</summary>
        public string[] KernelsNotInlined => [.. _notInlined];

        public bool WaitForCompiled(int layers, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (_compiled.Count < layers && clock.Elapsed < timeout)
            {
                Thread.Sleep(20);
            }

            return _compiled.Count >= layers;
        }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, Jit | JitTracing);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is null || e.Payload is null || e.PayloadNames is null || _type is null)
            {
                return;
            }

            string Payload(string field) => e.PayloadNames.IndexOf(field) is int i and >= 0 ? e.Payload[i]?.ToString() ?? "" : "";
            if (e.EventName.StartsWith("MethodJitInliningFailed", StringComparison.Ordinal))
            {
                string compiled = Payload("MethodBeingCompiledNamespace");
                string inlinee = $"{Payload("InlineeNamespace")}.{Payload("InlineeName")}";
                if (IsLayer(compiled, Payload("MethodBeingCompiledName")) && inlinee.StartsWith("StaticNet.", StringComparison.Ordinal) && !IsCallByDesign(inlinee))
                {
                    _notInlined.Enqueue($"{Payload("MethodBeingCompiledName")} calls {inlinee}: {Payload("FailReason")}");
                }
            }
            else if (e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) && IsLayer(Payload("MethodNamespace"), Payload("MethodName")))
            {
                _compiled[Payload("MethodName")] = true;
            }
        }

        private bool IsLayer(string type, string method) =>
            type.EndsWith("." + _type, StringComparison.Ordinal) && method.StartsWith("Layer", StringComparison.Ordinal) && method.EndsWith("Predict", StringComparison.Ordinal);

        // Listing the non-zero inputs and Softmax's normalisation are loops over a whole layer, run once, too large to
        // inline and not worth it; the throw helpers never return.
        private static bool IsCallByDesign(string inlinee) =>
            inlinee is "StaticNet.Kernels.NonZero.Indices" or "StaticNet.Kernels.ActivationKernels.Softmax"
            || inlinee.Contains(".Throw", StringComparison.Ordinal);
    }
}

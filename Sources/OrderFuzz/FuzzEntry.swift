import Foundation
#if FUZZING
import CFuzzerDriver
#endif

/// The fuzzer's entry. Built by `tools/fuzz.sh` (`-sanitize=fuzzer -DFUZZING`) it hands the command
/// line to libFuzzer and feeds the target named by `ORDERFLOW_FUZZ_TARGET`; built plainly (`swift build`)
/// it replays saved inputs, so CI and the test suite need no fuzzing runtime. See `Replay`.
@main
struct OrderFuzz {
    static func main() {
        #if FUZZING
        FuzzSession.target.prepare()
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
        #else
        exit(Replay.main(Array(CommandLine.arguments.dropFirst())))
        #endif
    }
}

#if FUZZING
/// One input to the chosen target; every input is worth keeping (returns 0). Exported under libFuzzer's
/// usual name as well, for other drivers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzSession.target.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// The target this fuzzing process feeds (libFuzzer owns the command line, and re-runs it in fork mode).
enum FuzzSession {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["ORDERFLOW_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("OrderFuzz: set ORDERFLOW_FUZZ_TARGET to one of \(names) (found '\(name)')\n".utf8))
            exit(2)
        }
        return target
    }()
}
#endif

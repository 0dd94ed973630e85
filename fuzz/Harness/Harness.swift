// One libFuzzer entry point for every reader lostdata has, chosen by LOSTDATA_FUZZ_TARGET.
//
// Why one binary: each sanitizer build of the package takes minutes on 2 cores; one link serves
// all harnesses, and `fuzz/run.sh` runs it once per target with that target's seeds.
// Why `#if LOSTDATA_FUZZ`: a normal `swift build` also compiles this target; there it gets a
// `main` that says how to fuzz, while the fuzz build (`-D LOSTDATA_FUZZ -sanitize=fuzzer,address`)
// leaves `main` to libFuzzer.
import Archive
import Bibliography
import Classification
import Figures
import Foundation
import Study

/// A reader under test: bytes in, any value or error out. A crash, a sanitizer report, a hang or
/// unbounded memory is the finding; thrown errors are the readers' normal answer to bad input.
typealias Harness = @Sendable ([UInt8]) -> Void

let provenance = PageProvenance(url: "http://127.0.0.1/fuzz", query: "fuzz", retrieved: "2026-12-05")

/// Every harness by name. Export formats are forced (one harness per format, so each reader's
/// code is reached from the first byte) and `export-detect` fuzzes the format detector too.
let harnesses: [String: Harness] = {
    var h: [String: Harness] = [:]
    for format in ExportFormat.allCases {
        h["export-\(format.rawValue)"] = { bytes in _ = try? Bibliography.read(bytes, file: "fuzz", format: format) }
    }
    h["export-detect"] = { bytes in _ = try? Bibliography.read(bytes, file: "fuzz") }
    h["jats"] = { bytes in _ = try? FigureCounter.count(Data(bytes), file: "fuzz.xml", detail: true) }
    h["sidecar"] = { bytes in _ = try? MetadataReader.sidecar(bytes) }
    h["hitachi"] = { bytes in _ = try? HitachiText.parse(utf8: bytes, sidecar: true) }
    h["tiff"] = { bytes in
        guard let tiff = try? TIFFHeader.read(bytes, fileSize: bytes.count) else { return }
        _ = try? MetadataReader.embedded(tiff)
    }
    h["dm"] = { bytes in _ = try? GatanDM.read(bytes, fileSize: bytes.count) }
    h["zeiss"] = { bytes in _ = try? ZeissSmartSEM.parse(latin1: bytes, imageWidth: 1024, imageHeight: 768) }
    h["fei-text"] = { bytes in _ = try? FEIText.parse(utf8: bytes) }
    h["fei-xml"] = { bytes in _ = try? FEIXML.parse(utf8: bytes) }
    // Reached through `sidecar` only after the sniffing; fuzzed directly so that every byte
    // (Tescan's junk before `[MAIN]`, JEOL's `$CM_` keys) reaches the parser.
    h["tescan"] = { bytes in _ = try? TescanHeader.parse(utf8: bytes) }
    h["jeol"] = { bytes in _ = try? JEOLSidecar.parse(utf8: bytes) }
    h["study-yaml"] = { bytes in _ = try? StudyFile(yaml: String(decoding: bytes, as: UTF8.self), file: "study.yaml") }
    h["rules-yaml"] = { bytes in _ = try? RuleSet(yaml: String(decoding: bytes, as: UTF8.self), file: "rules.yaml") }
    h["openalex"] = { bytes in _ = try? OpenAlexWorks.read(bytes, provenance: provenance) }
    h["crossref"] = { bytes in _ = try? CrossrefWorks.read(bytes, provenance: provenance) }
    h["europepmc"] = { bytes in _ = try? EuropePMCSearch.read(bytes, provenance: provenance) }
    return h
}()

/// The harness named by the environment, looked up once (libFuzzer calls the entry point millions of times).
let selected: Harness = {
    let name = ProcessInfo.processInfo.environment["LOSTDATA_FUZZ_TARGET"] ?? ""
    if name == "list" {
        print(harnesses.keys.sorted().joined(separator: "\n"))
        exit(0)
    }
    guard let harness = harnesses[name] else {
        FileHandle.standardError.write(Data("LOSTDATA_FUZZ_TARGET must name a harness (\(name.isEmpty ? "unset" : "'\(name)' is unknown")); one of: \(harnesses.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return harness
}()

#if LOSTDATA_FUZZ
/// libFuzzer's driver, entered from our own `main`: SwiftPM gives an executable target's entry
/// point its own name and aliases `main` to it, so libFuzzer's `main` cannot be the entry; its
/// documented `LLVMFuzzerRunDriver` runs the same command line.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// One input through the selected harness (libFuzzer calls this millions of times). Exported
/// under libFuzzer's name as well: the sanitizer runtime links libFuzzer's own `main`, which needs it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selected(bytes)
    return 0
}
#endif

@main
enum FuzzHarness {
    static func main() {
        #if LOSTDATA_FUZZ
        _ = selected  // a wrong LOSTDATA_FUZZ_TARGET is said before libFuzzer starts
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzOneInput(data, size) }))
        #else
        // Without libFuzzer the binary replays files given as arguments through the selected
        // harness: a way to re-run a crash input under a normal build or a debugger.
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            print("lostdata-fuzz: build and run with fuzz/run.sh (libFuzzer); without it, pass input files to replay them through LOSTDATA_FUZZ_TARGET's harness")
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot read\n".utf8)); exit(1)
            }
            selected(Array(data))
            print("\(file): ok")
        }
        #endif
    }
}

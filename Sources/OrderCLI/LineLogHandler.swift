import Foundation
import Logging
import OrderModel

/// One line per event on standard error: `TIME LEVEL message key=value ...`, or a JSON object per line
/// for log shippers (`--log-format json`). Times come from the engine's clock.
struct LineLogHandler: LogHandler {
    enum Format: String, CaseIterable { case text, json }

    let format: Format
    let clock: any EngineClock
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level, message = event.message
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = clock.now.description
        let text: String
        switch format {
        case .text:
            let pairs = all.sorted { $0.key < $1.key }.map { key, value -> String in
                let v = "\(value)"
                return v.contains(" ") || v.contains("=") ? "\(key)=\"\(v.replacingOccurrences(of: "\"", with: "\\\""))\"" : "\(key)=\(v)"
            }
            text = ([time, level.rawValue, message.description] + pairs).joined(separator: " ")
        case .json:
            var object: [String: Any] = ["time": time, "level": level.rawValue, "message": message.description]
            // Counts are numbers in JSON (a log shipper sums them); everything else is text.
            for (key, value) in all {
                let text = "\(value)"
                if let number = Int64(text), String(number) == text { object[key] = NSNumber(value: number) } else { object[key] = text }
            }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            text = String(decoding: data, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

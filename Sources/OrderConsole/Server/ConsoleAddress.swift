import Foundation

/// Where the console listens: `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8443`, or a bare port (loopback).
public struct ConsoleAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `PORT`.
    /// - Throws: `ConsoleError.address` saying what was found and what is expected.
    public init(parsing text: String) throws(ConsoleError) {
        let text = text.trimmingCharacters(in: .whitespaces)
        var host = "127.0.0.1", portText = text
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .address(text, "an IPv6 address closes with ']', as in [::1]:8080") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .address(text, "a port after the address, as in [::1]:8080") }
            portText = String(rest.dropFirst())
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            if host.isEmpty { throw .address(text, "a host before ':', as in 127.0.0.1:8080") }
        }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw .address(text, "a port from 0 to 65535, as in 127.0.0.1:8080")
        }
        self.init(host: host, port: port)
    }

    /// Only this machine can reach it: 127.0.0.0/8, ::1 or `localhost`.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

import Foundation
import Logging
import OrderDaemon
import OrderEngine
import OrderModel

/// Builds the console for `run --http` and `serve`: parses the address, opens the home on a connection
/// of the console's own and warns about plain HTTP beyond loopback.
public enum ConsoleServing {
    public static func console(home: Home, clock: any EngineClock, user: String?, address: String, requireLogin: Bool,
                               mailbox: EngineMailbox?, logger: Logger) throws -> Console {
        let address = try ConsoleAddress(parsing: address)
        // Its own connection: a page reads under WAL while the engine writes, and never waits for a cycle.
        var (engine, problem) = try Engine.openForReading(home: home, clock: clock)
        if let user { engine = engine.acting(as: user) }
        if let problem { logger.warning("the console reads the home with default settings", metadata: ["error": "\(problem)"]) }
        let console = try Console(engine: engine, mailbox: mailbox, options: Console.Options(address: address, requireLogin: requireLogin))
        if !address.isLoopback {
            logger.warning("the console is served over plain HTTP beyond loopback; put it behind a TLS proxy", metadata: ["console.address": "\(address)"])
        }
        return console
    }
}

import ArgumentParser
import Foundation
import Logging
import OrderConsole
import OrderEngine
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web console read-only, for a home whose engine runs elsewhere (or not at all).")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The address to listen on; any address but loopback needs a console user.", valueName: "host:port"))
    var http = "127.0.0.1:8080"
    @Flag(help: "Require a login even on loopback.") var requireLogin = false

    func run() async throws {
        let logger = Logger(label: "orderflow") { _ in LineLogHandler(format: .text, clock: global.clock, logLevel: .info) }
        try Home(global.home).requireDatabase()
        let console = try ConsoleServing.console(home: Home(global.home), clock: global.clock, user: nil, address: http,
                                                 requireLogin: requireLogin, mailbox: nil, logger: logger)
        let app = console.makeApplication(logger: logger, onRunning: { port in
            logger.notice("console serving (read-only)", metadata: ["console.url": "http://\(console.options.address.host):\(port)/"])
        })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

struct ConsoleUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console-user", abstract: "Add, change or remove the people who may log in to the web console.",
        subcommands: [Add.self, Remove.self, List.self], defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user or change their password; the password is read from standard input (one line, at least 12 characters).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's name, as the history records their actions (user:NAME).") var name: String

        func run() throws {
            if isatty(0) != 0 { FileHandle.standardError.write(Data("password for \(name) (at least 12 characters): ".utf8)) }
            let line = (readLine(strippingNewline: true) ?? "")
            var users = try ConsoleUsers(home: Home(global.home))
            let existed = users.hashes[name] != nil
            try users.set(name: name, password: line)
            try users.save()
            print("\(existed ? "changed the password of" : "added") \(name) in \(users.url.path)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user; their sessions end at their next request.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's name.") var name: String

        func run() throws {
            var users = try ConsoleUsers(home: Home(global.home))
            guard users.remove(name: name) else { throw ValidationError("no console user '\(name)'; the users are \(users.hashes.keys.sorted().joined(separator: ", "))") }
            try users.save()
            print("removed \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The users' names.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let users = try ConsoleUsers(home: Home(global.home))
            print(users.isEmpty ? "no console users (the console serves loopback only, without login)" : users.hashes.keys.sorted().joined(separator: "\n"))
        }
    }
}

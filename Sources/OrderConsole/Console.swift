import Foundation
import Hummingbird
import Logging
import OrderDaemon
import OrderEngine
import OrderModel
import OrderStore
import ServiceLifecycle

/// The web console: the pages operations staff work in, served by the engine itself.
///
/// `orderflow run --http ADDRESS` serves it beside the running engine: pages read the database through
/// their own connection (WAL: a page never waits for a cycle), and actions are posted to the engine's
/// `EngineMailbox`, so they are done by the engine between its steps and never meet "database is
/// locked". `orderflow serve` serves the same pages for a home whose engine runs elsewhere, read-only.
public struct Console: Sendable {
    /// How the console is served.
    public struct Options: Sendable {
        public var address: ConsoleAddress
        /// Requires a login even on loopback (always required on any other address).
        public var requireLogin: Bool
        public init(address: ConsoleAddress, requireLogin: Bool = false) {
            self.address = address
            self.requireLogin = requireLogin
        }
    }

    /// The home's engine on a connection of the console's own, for reading.
    public let engine: Engine
    /// Where actions go; nil on a read-only console (`orderflow serve`).
    public let mailbox: EngineMailbox?
    public let options: Options
    public let sessions: Sessions
    /// A login is needed whatever the users file says: an address beyond loopback, or `--require-login`.
    let alwaysLogin: Bool
    /// Whether pages need a login now: `alwaysLogin`, or a home whose users file lists anybody (read
    /// afresh, so a user added while the console runs puts it behind a login at once; an unreadable file
    /// counts as "login needed").
    public var loginRequired: Bool {
        alwaysLogin || ((try? users()).map { !$0.isEmpty } ?? true)
    }
    /// Who acts on a console without login (loopback only): the engine's user.
    public let defaultPerson: String
    /// The address is reachable from other machines and the console speaks plain HTTP.
    public var plainHTTPWarning: Bool { !options.address.isLoopback }
    public var readOnly: Bool { mailbox == nil }
    /// Stage totals, kept while the history has not moved (Health and the Stages board).
    let stageTotalsCache = StageTotalsCache()
    /// How long a page waits for the engine to answer an action before saying it is queued.
    public var actionWait: Duration = .seconds(20)

    /// - Throws: `ConsoleError.loginNeeded` for an address other than loopback on a home without console
    ///   users; `ConsoleError.usersFile` for a users file that cannot be read.
    public init(engine: Engine, mailbox: EngineMailbox?, options: Options) throws(ConsoleError) {
        self.engine = engine
        self.mailbox = mailbox
        self.options = options
        sessions = Sessions()
        defaultPerson = engine.user
        let users = try ConsoleUsers(home: engine.home)
        alwaysLogin = !options.address.isLoopback || options.requireLogin
        if alwaysLogin && users.isEmpty {
            throw .loginNeeded("""
                the console on \(options.address) needs a login, and this home has no console users; add one with \
                'orderflow console-user add NAME' (or serve on 127.0.0.1)
                """)
        }
    }

    /// Orders, lines and value per stage, from the cache while nothing has changed.
    func stageTotals() throws -> [StageTotal] { try stageTotalsCache.totals(in: engine.database) }

    /// The users who may log in, read afresh (an added user applies at once).
    func users() throws(ConsoleError) -> ConsoleUsers { try ConsoleUsers(home: engine.home) }

    /// The router with every page; used by `run --http`, `serve` and the tests alike.
    public func makeRouter() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.add(middleware: ConsoleGuard(console: self))
        Assets.addRoutes(to: router)
        LoginPage.addRoutes(to: router, console: self)
        HealthPage.addRoutes(to: router, console: self)
        StagesPage.addRoutes(to: router, console: self)
        OrderPage.addRoutes(to: router, console: self)
        LogicPage.addRoutes(to: router, console: self)
        JobsPage.addRoutes(to: router, console: self)
        StockPage.addRoutes(to: router, console: self)
        // Last: any other path gets a page that says so, through the guard (its headers, its login).
        router.get("**") { request, context -> Response in
            ErrorPage.response(.notFound, title: "Not found", message: "There is no page at \(request.uri.path).", console: self, context: context)
        }
        return router
    }

    /// The server as a `Service`, to run in the engine's `ServiceGroup`, with the stage totals kept warm
    /// beside it (`StageTotalsWarmer`).
    /// - Parameter onRunning: called with the port bound (the one asked for, or the one given for port 0).
    public func makeApplication(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: makeRouter(),
                    configuration: ApplicationConfiguration(address: .hostname(options.address.host, port: options.address.port),
                                                            serverName: "orderflow"),
                    services: [StageTotalsWarmer(cache: stageTotalsCache, database: engine.database, interval: .seconds(1), logger: logger)],
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? options.address.port) },
                    logger: logger)
    }

    /// Posts an action to the engine and waits for its answer, at most `actionWait`.
    func ask(_ request: EngineMailbox.Request, from person: String) async -> EngineMailbox.Answer? {
        guard let mailbox else { return .refused("this console is read-only (orderflow serve); act on the console of the running engine (orderflow run --http)") }
        // The engine's answer or the deadline, whichever comes first; a late answer still lands (the action
        // stays queued and is done), the page just says so.
        let first = FirstAnswer()
        return await withCheckedContinuation { (continuation: CheckedContinuation<EngineMailbox.Answer?, Never>) in
            Task {
                let answer = await mailbox.ask(request, from: person)
                if first.take() { continuation.resume(returning: answer) }
            }
            Task { [actionWait] in
                try? await Task.sleep(for: actionWait)
                if first.take() { continuation.resume(returning: nil) }
            }
        }
    }
}

/// True for the first caller only.
final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = false
    func take() -> Bool {
        lock.withLock {
            defer { taken = true }
            return !taken
        }
    }
}

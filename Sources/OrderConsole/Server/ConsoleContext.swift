import Hummingbird

/// A request's context in the console: the session it belongs to and, for a POST, its checked form.
public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `ConsoleGuard` before any page runs.
    public var session: Sessions.Session?
    /// A POST's fields, read and CSRF-checked by `ConsoleGuard`.
    public var form: FormFields = FormFields()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Forms are small: a rules file is the largest thing posted.
    public var maxUploadSize: Int { 1 << 20 }

    /// The person acting: the logged-in user, or the engine's user on a loopback console without login.
    public var person: String { session?.user ?? "anonymous" }
}

import GRDB

/// The connection type behind `CycleContext.db`, named here so that the engine's Engine.swift needs no
/// GRDB import while steps still reach the connection that way.
///
/// Transitional: `CycleContext.db` and this alias go once no step uses the connection (steps reach the
/// store through `CycleContext.store`).
package typealias CycleContextWriter = any DatabaseWriter

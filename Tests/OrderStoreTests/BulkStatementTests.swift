import Foundation
import GRDB
import OrderStore
import Testing

@Suite struct BulkStatementTests {
    func makeQueue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER, b TEXT, c INTEGER, d TEXT NOT NULL, e INTEGER UNIQUE)")
        }
        return queue
    }

    @Test func bindsEachKindOfValueAndNull() throws {
        let queue = try makeQueue()
        try queue.write { db in
            let insert = try BulkStatement(db, sql: "INSERT INTO t (a, b, c, d, e) VALUES (?, ?, ?, ?, ?)")
            insert.bind(Int64(-7), at: 1); insert.bind("café ☕︎, \"quoted\"", at: 2); insert.bind(true, at: 3)
            insert.bind("", at: 4); insert.bind(Int?.none, at: 5)
            try insert.execute()
            insert.bind(Int64?.none, at: 1); insert.bind(String?.none, at: 2); insert.bind(42, at: 3)
            insert.bind(String?.some("x"), at: 4); insert.bind(Int?.some(3), at: 5)
            try insert.execute()
        }
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT a, b, c, d, e, typeof(d) FROM t ORDER BY rowid") }
        #expect(rows[0] == ["a": -7, "b": "café ☕︎, \"quoted\"", "c": 1, "d": "", "e": nil, "typeof(d)": "text"])
        #expect(rows[1] == ["a": nil, "b": nil, "c": 42, "d": "x", "e": 3, "typeof(d)": "text"])
    }

    @Test func eachRunStartsWithNoValuesBound() throws {
        let queue = try makeQueue()
        try queue.write { db in
            let insert = try BulkStatement(db, sql: "INSERT INTO t (a, d) VALUES (?, ?)")
            insert.bind(1, at: 1); insert.bind("first", at: 2)
            try insert.execute()
            insert.bind("second", at: 2) // a is not bound again: NULL, not the previous 1
            try insert.execute()
        }
        let values = try queue.read { db in try Row.fetchAll(db, sql: "SELECT a FROM t ORDER BY rowid").map { $0[0] as Int? } }
        #expect(values == [1, nil])
    }

    @Test func aFailedRunThrowsTheDatabaseErrorWithItsSQLAndTheStatementStaysUsable() throws {
        let queue = try makeQueue()
        try queue.write { db in
            let insert = try BulkStatement(db, sql: "INSERT INTO t (d, e) VALUES (?, ?)")
            insert.bind("a", at: 1); insert.bind(1, at: 2)
            try insert.execute()
            insert.bind("b", at: 1); insert.bind(1, at: 2)
            let error = try #require(throws: DatabaseError.self) { try insert.execute() }
            #expect(error.resultCode == .SQLITE_CONSTRAINT)
            #expect(error.message?.contains("UNIQUE constraint failed: t.e") == true)
            #expect(error.sql == "INSERT INTO t (d, e) VALUES (?, ?)")
            insert.bind(String?.none, at: 1) // NOT NULL
            #expect(throws: DatabaseError.self) { try insert.execute() }
            insert.bind("c", at: 1); insert.bind(2, at: 2)
            try insert.execute()
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 2)
    }

    @Test func textLongerThanWhatTheStatementKeepsAsideIsBoundWhole() throws {
        let queue = try makeQueue()
        let long = String(repeating: "ab", count: 10_000) // 20,000 bytes: more than the 16 KB arena
        let medium = String(repeating: "é", count: 5_000)  // 10,000 bytes each: the second no longer fits
        try queue.write { db in
            let insert = try BulkStatement(db, sql: "INSERT INTO t (b, d) VALUES (?, ?)")
            insert.bind(long, at: 1); insert.bind("after", at: 2)
            try insert.execute()
            insert.bind(medium, at: 1); insert.bind(medium + "!", at: 2)
            try insert.execute()
        }
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT b, d FROM t ORDER BY rowid") }
        #expect(rows[0]["b"] as String? == long)
        #expect(rows[0]["d"] as String? == "after")
        #expect(rows[1]["b"] as String? == medium)
        #expect(rows[1]["d"] as String? == medium + "!")
    }
}

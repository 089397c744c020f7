import Foundation

/// A time zone seen as a line of segments of constant UTC offset, walked through its transitions.
///
/// Next runs are decided on wall-clock time, so every question about a zone is "which UTC instants
/// show this wall time?". Asking the zone for the offset at a guessed instant gets that wrong where
/// the guess lands on the other side of a change (a zone more than 12 hours from UTC, a change of
/// 45 minutes' reach); walking the segments between two instants does not guess at all.
struct ZoneTimeline {
    /// One stretch of time with one offset: instants `start..<end` (seconds since the epoch).
    struct Segment {
        var start: Int64
        var end: Int64
        var offset: Int64
    }

    /// More than any UTC offset a zone has ever used (the extremes are near ±16 h in the 1800s),
    /// so an instant this far before a wall time always shows an earlier wall time.
    static let reach: Int64 = 26 * 3600

    let zone: TimeZone

    func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The segments covering `from...through`, in order; the first starts at `from`.
    func segments(from: Int64, through: Int64) -> [Segment] {
        var segments: [Segment] = []
        var start = from
        while start <= through, segments.count < 64 {
            var end = Int64.max
            if let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(start))) {
                let seconds = next.timeIntervalSince1970.rounded(.up)
                if seconds > TimeInterval(start), seconds < 9e15 { end = Int64(seconds) }
            }
            segments.append(Segment(start: start, end: end, offset: offset(at: start)))
            start = end
        }
        return segments
    }

    /// The latest wall time the zone's clock has shown at or before `instant`.
    ///
    /// After a clock goes back this is more than the wall time at `instant`: the repeated times
    /// have been shown once already.
    func highWater(at instant: Int64) -> Int64 {
        var high = instant + offset(at: instant)
        for segment in segments(from: instant - 2 * Self.reach, through: instant) {
            high = max(high, min(segment.end - 1, instant) + segment.offset)
        }
        return high
    }

    /// The first instant at which the zone's clock shows `wall` or a later wall time.
    ///
    /// That is the wall time's first occurrence when the clock goes back over it, and the moment
    /// the clock lands after a gap when a change skips it (the first valid time after the gap).
    func firstInstant(reaching wall: Int64) -> Int64 {
        for segment in segments(from: wall - Self.reach, through: wall + Self.reach) {
            let candidate = max(segment.start, wall - segment.offset)
            if candidate < segment.end { return candidate }
        }
        return wall - offset(at: wall)
    }
}

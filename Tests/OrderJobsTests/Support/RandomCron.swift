import OrderModel

/// A cron expression made at random, with the times its text means worked out here, apart from the parser.
///
/// The differential tests compare the engine's next run with an oracle; the oracle's idea of what
/// the expression means must not come from the code under test.
struct RandomCron: CustomStringConvertible {
    var text: String
    var minutes: Set<Int> = []
    var hours: Set<Int> = []
    var daysOfMonth: Set<Int> = []
    var months: Set<Int> = []
    /// 0 is Sunday.
    var daysOfWeek: Set<Int> = []
    var dayOfMonthStar = true
    var dayOfWeekStar = true

    var description: String { text }

    /// The Vixie rule: both day fields restricted, either fires; otherwise both must.
    func firesOn(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dom = daysOfMonth.contains(day), dow = daysOfWeek.contains(weekday)
        return !dayOfMonthStar && !dayOfWeekStar ? dom || dow : dom && dow
    }

    /// How often each field is left as `*`, in percent.
    struct Odds {
        var minute = 25, hour = 45, dayOfMonth = 75, month = 85, dayOfWeek = 70
        static let frequent = Odds()
        static let rare = Odds(minute: 10, hour: 10, dayOfMonth: 10, month: 5, dayOfWeek: 40)
    }

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    static func make(_ odds: Odds, using g: inout SeededGenerator) -> RandomCron {
        let minute = field(0, 59, names: nil, star: odds.minute, using: &g)
        let hour = field(0, 23, names: nil, star: odds.hour, using: &g)
        let dom = field(1, 31, names: nil, star: odds.dayOfMonth, using: &g)
        let month = field(1, 12, names: monthNames, star: odds.month, using: &g)
        let dow = field(0, 7, names: dayNames, star: odds.dayOfWeek, using: &g)
        var cron = RandomCron(text: [minute.text, hour.text, dom.text, month.text, dow.text].joined(separator: Bool.random(using: &g) ? " " : "  "))
        cron.minutes = minute.values
        cron.hours = hour.values
        cron.daysOfMonth = dom.values
        cron.months = month.values
        cron.daysOfWeek = Set(dow.values.map { $0 % 7 })
        cron.dayOfMonthStar = dom.text.hasPrefix("*")
        cron.dayOfWeekStar = dow.text.hasPrefix("*")
        return cron
    }

    /// One field's text and values: `*`, `*/k`, or a list of `v`, `a-b`, `a-b/k`, `v/k`.
    static func field(_ low: Int, _ high: Int, names: [String]?, star: Int, using g: inout SeededGenerator) -> (text: String, values: Set<Int>) {
        func render(_ v: Int) -> String {
            // 7 is Sunday only as a number: SUN is 0, so `1-SUN` would run backwards.
            let index = v - (names?.count == 12 ? 1 : 0)
            guard let names, index < names.count, Int.random(in: 0..<3, using: &g) == 0 else { return String(v) }
            let name = names[index]
            return Bool.random(using: &g) ? name : name.lowercased()
        }
        let roll = Int.random(in: 0..<100, using: &g)
        if roll < star {
            if Int.random(in: 0..<3, using: &g) > 0 { return ("*", Set(low...high)) }
            let step = Int.random(in: 1...(high - low + 1), using: &g)
            return ("*/\(step)", Set(stride(from: low, through: high == 7 ? 6 : high, by: step)))
        }
        var texts: [String] = []
        var values: Set<Int> = []
        for _ in 0..<Int.random(in: 1...3, using: &g) {
            let a = Int.random(in: low...high, using: &g)
            switch Int.random(in: 0..<6, using: &g) {
            case 0, 1, 2:
                texts.append(render(a)); values.insert(a)
            case 3:
                let b = Int.random(in: a...high, using: &g)
                texts.append("\(render(a))-\(render(b))"); values.formUnion(a...b)
            case 4:
                let b = Int.random(in: a...high, using: &g), step = Int.random(in: 1...6, using: &g)
                texts.append("\(render(a))-\(render(b))/\(step)"); values.formUnion(stride(from: a, through: b, by: step))
            default:
                // `N/STEP` runs to Saturday (6) in the day of week field, so 7 is not counted twice.
                let last = high == 7 ? 6 : high, from = min(a, last)
                let step = Int.random(in: 1...12, using: &g)
                texts.append("\(render(from))/\(step)"); values.formUnion(stride(from: from, through: last, by: step))
            }
        }
        return (texts.joined(separator: ","), values)
    }
}

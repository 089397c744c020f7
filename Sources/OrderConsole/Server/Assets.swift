import Hummingbird

/// The console's stylesheet and scripts, compiled in: no build step, no other registry, and served from
/// the console's own origin as its Content-Security-Policy requires (no inline style or script).
enum Assets {
    /// Name to (content type, body). Page files add their own script here (`logic.js`).
    static let files: [String: (type: String, body: String)] = [
        "console.css": ("text/css; charset=utf-8", stylesheet),
        "console.js": ("text/javascript; charset=utf-8", consoleScript),
    ].merging(extraFiles, uniquingKeysWith: { a, _ in a })

    /// Scripts of single pages, loaded only there.
    static let extraFiles: [String: (type: String, body: String)] = [
        "logic.js": ("text/javascript; charset=utf-8", logicScript),
    ]

    /// The Logic Builder's check as you type: the text goes to `/logic/check` (the engine's own checker)
    /// a moment after the last key; an error is reported with its line and column, and "Go to error" puts
    /// the caret on the character. Without it the page's Check button gives the same answer.
    static let logicScript = """
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          const form = document.getElementById("rules-form");
          const editor = document.getElementById("rules-text");
          const status = document.getElementById("rules-status");
          const goTo = document.getElementById("go-to-error");
          const select = document.getElementById("preview-rule");
          if (!form || !editor || !status || !goTo) return;
          let timer = null, errorAt = null, sent = 0;
          const offsetOf = (text, line, column) => {
            let offset = 0;
            for (let l = 1; l < line; l++) {
              const next = text.indexOf("\\n", offset);
              if (next < 0) return text.length;
              offset = next + 1;
            }
            return Math.min(text.length, offset + Math.max(0, column - 1));
          };
          const check = async () => {
            const mine = ++sent;
            const body = new URLSearchParams();
            body.set("csrf", form.elements["csrf"].value);
            body.set("rules", editor.value);
            let answer;
            try {
              const response = await fetch("/logic/check", { method: "POST", body, credentials: "same-origin" });
              answer = await response.json();
            } catch (e) {
              return;
            }
            if (mine !== sent) return;
            if (answer.ok) {
              status.textContent = "No errors: " + answer.rules.length + " rule(s).";
              status.className = "good";
              errorAt = null;
              goTo.hidden = true;
              if (select) {
                const chosen = select.value;
                select.replaceChildren(...answer.rules.map(name => { const o = new Option(name, name); o.selected = name === chosen; return o; }));
              }
            } else {
              status.className = "bad";
              if (answer.line) {
                status.textContent = "Error at line " + answer.line + ", column " + (answer.column || 1) + ": " + answer.message;
                errorAt = offsetOf(editor.value, answer.line, answer.column || 1);
                goTo.hidden = false;
              } else {
                status.textContent = answer.description || answer.message;
                errorAt = null;
                goTo.hidden = true;
              }
            }
          };
          editor.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(check, 300);
          });
          goTo.addEventListener("click", () => {
            if (errorAt === null) return;
            editor.focus();
            editor.setSelectionRange(errorAt, Math.min(editor.value.length, errorAt + 1));
          });
        });
        """

    static func addRoutes(to router: Router<ConsoleContext>) {
        router.get("/static/:name") { _, context -> Response in
            guard let name = context.parameters.get("name"), let file = files[name] else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: "not found")))
            }
            return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "max-age=300"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: file.body)))
        }
    }

    static let stylesheet = """
        :root { --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --paper: #ffffff; --band: #f3f4f6; --link: #0b4fa8;
                --bad: #a4161a; --warn: #7a4b00; --good: #1e6b2f; --focus: #ffbf47; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--paper); }
        a { color: var(--link); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus { outline: 3px solid var(--focus); outline-offset: 1px; }
        .skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: var(--paper); padding: 4px 8px; z-index: 10; }
        header { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 8px 16px; background: var(--band); border-bottom: 1px solid var(--line); }
        header .brand { margin: 0; font-weight: 700; } header .brand a { color: var(--ink); text-decoration: none; } .home { color: var(--muted); font-weight: 400; }
        nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; padding: 0; }
        nav a[aria-current="page"] { font-weight: 700; color: var(--ink); text-decoration-thickness: 3px; }
        .find { display: flex; gap: 6px; align-items: center; margin-left: auto; } .who { display: flex; gap: 8px; align-items: center; }
        main { padding: 8px 16px 32px; max-width: 1280px; } h1 { font-size: 1.5rem; margin: 12px 0; } h2 { font-size: 1.15rem; margin: 20px 0 8px; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; } caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: var(--band); } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin: 8px 0 16px; padding: 0; list-style: none; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; } .card .label { color: var(--muted); font-size: .85rem; display: block; }
        .card .value { font-size: 1.3rem; font-weight: 650; display: block; } .card a { text-decoration: none; } .card a:hover .value { text-decoration: underline; }
        .bad { color: var(--bad); } .warn { color: var(--warn); } .good { color: var(--good); } .muted { color: var(--muted); }
        .banner { margin: 0; padding: 6px 16px; background: #e7eefb; border-bottom: 1px solid var(--line); } .banner.warn { background: #fff4d6; color: #4a3000; }
        .notice { padding: 8px 12px; border-left: 4px solid var(--good); background: #eef7f0; } .notice.error { border-color: var(--bad); background: #fcecec; }
        button, .button { font: inherit; padding: 4px 12px; border: 1px solid #5a5a5a; border-radius: 4px; background: #fff; color: var(--ink); cursor: pointer; text-decoration: none; display: inline-block; }
        button.primary { background: #0b4fa8; color: #fff; border-color: #0b4fa8; } button.danger { background: #a4161a; color: #fff; border-color: #a4161a; }
        input, select, textarea { font: inherit; padding: 3px 6px; border: 1px solid #6b6b6b; border-radius: 3px; color: var(--ink); background: #fff; }
        textarea.code, pre, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
        textarea.code { width: 100%; min-height: 24rem; line-height: 1.4; tab-size: 2; }
        form.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; margin: 8px 0; } form.filters label { display: flex; flex-direction: column; font-size: .85rem; }
        .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; } .actions form { margin: 0; }
        .timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); } .timeline li { padding: 4px 10px; } .timeline time { color: var(--muted); }
        .pager { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
        .chart { display: block; max-width: 100%; height: auto; } .chart rect { fill: #2f6fbe; } .chart text { fill: var(--ink); font-size: 10px; }
        .diff .add { background: #e6f4ea; } .diff .del { background: #fbe9e9; } pre.diff { padding: 8px; border: 1px solid var(--line); overflow-x: auto; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
        .editor { display: grid; grid-template-columns: minmax(0, 3fr) minmax(220px, 1fr); gap: 16px; } .fields { max-height: 32rem; overflow-y: auto; font-size: .9rem; }
        #rules-status.bad { color: var(--bad); font-weight: 600; } #rules-status.good { color: var(--good); }
        .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        """

    /// Progressive enhancement only: every page works without it.
    static let consoleScript = """
        "use strict";
        // Sortable tables: a header button re-sorts the rows in the browser (the server's order is the default).
        document.addEventListener("DOMContentLoaded", () => {
          for (const form of document.querySelectorAll("form[data-autosubmit]")) {
            for (const control of form.querySelectorAll("select")) control.addEventListener("change", () => form.requestSubmit());
          }
        });
        """
}

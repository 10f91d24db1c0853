// Drives Debian's firefox-esr for the pytest engine tests over WebDriver BiDi
// with npm puppeteer-core (installed by `build.py test` into .cache/node; it
// never downloads a browser). One JSON request per stdin line, one JSON reply
// per stdout line:
//   {"op": "goto", "url": U}                      -> {"ok": true}
//   {"op": "js", "body": B, "arg": A}             -> {"ok": true, "value": V}
//     (B is a function body run as `function (arg) { B }` in the page)
//   {"op": "errors"}                              -> {"ok": true, "value": [...]}
//   {"op": "close"}                               -> {"ok": true}, then exits
// Replies start with REPLY_MARK so that Firefox's own output, passed through
// (dumpio) for the failure report, never reads as a reply.
// argv: nodeDir firefoxPath width height
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const [nodeDir, executablePath, width, height] = process.argv.slice(2);
const puppeteer = createRequire(nodeDir + "/")("puppeteer-core");

const REPLY_MARK = "@bridge ";
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath,
  headless: true,
  defaultViewport: { width: Number(width), height: Number(height) },
  // A first start on a fresh machine builds caches and can pass 30 s
  timeout: 180000,
  protocolTimeout: 600000,
  dumpio: true,
});
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (err) => errors.push("pageerror: " + String(err)));
page.on("console", (msg) => {
  if (msg.type() === "error") errors.push("console.error: " + msg.text());
});

const reply = (obj) => process.stdout.write(REPLY_MARK + JSON.stringify(obj) + "\n");
reply({ ok: true, version: await browser.version() });

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const req = JSON.parse(line);
  try {
    if (req.op === "goto") {
      await page.goto(req.url, { waitUntil: "load", timeout: 120000 });
      reply({ ok: true });
    } else if (req.op === "js") {
      const source =
        "(function (arg) {" + req.body + "})(" + JSON.stringify(req.arg ?? null) + ")";
      reply({ ok: true, value: (await page.evaluate(source)) ?? null });
    } else if (req.op === "errors") {
      reply({ ok: true, value: errors });
    } else if (req.op === "close") {
      reply({ ok: true });
      break;
    } else {
      reply({ ok: false, error: "unknown op " + req.op });
    }
  } catch (err) {
    reply({ ok: false, error: String(err && err.stack ? err.stack : err) });
  }
}
await browser.close();
process.exit(0);

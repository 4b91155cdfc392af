// The baseline: a bare node:http server that reads each request body fully and answers 200 with
// an empty body. Whatever Switchboard costs on top of this is Switchboard's own work.
// Usage: node dist/bench/bare-server.js --port P
import { createServer } from "node:http";

const i = process.argv.indexOf("--port");
const port = Number(i >= 0 ? process.argv[i + 1] : Number.NaN);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write("usage: bare-server --port P\n");
  process.exit(2);
}

createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "Content-Length": "0" });
    res.end();
  });
}).listen(port, "127.0.0.1");

// For working on the web app without rebuilding the server: serves ../../web from
// disk (as `kansli serve` serves its embedded copy: files by name, index.html for
// every other page, the same Content-Security-Policy) and passes /api/..., /healthz
// and /readyz on to a running server unchanged, cookies included.
//
//   UPSTREAM=http://127.0.0.1:8080 PORT=8092 node dev-server.mjs
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const upstream = new URL(process.env.UPSTREAM || 'http://127.0.0.1:8080');
const port = Number(process.env.PORT || 8092);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/readyz') {
    const proxied = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    proxied.on('error', (e) => {
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`upstream ${upstream.href}: ${e.message}`);
    });
    req.pipe(proxied);
    return;
  }
  const name = url.pathname.split('/').filter(Boolean);
  let file = name.length === 1 ? path.join(webDir, name[0]) : null;
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    if (name.length === 1 && name[0].includes('.')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('no such file');
      return;
    }
    file = path.join(webDir, 'index.html');
  }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' });
  res.end(fs.readFileSync(file));
}).listen(port, '127.0.0.1', () => console.log(`web/ on http://127.0.0.1:${port}, API from ${upstream.href}`));

/**
 * `mitra dashboard`'s server: the app on a Node HTTP server bound to
 * 127.0.0.1 by default. Port 0 takes any free port; the URL is returned.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { UserError } from '../core/errors.js';
import { createDashboardApp } from './app.js';
import { defaultWebDir } from './static-files.js';

/** Options of `startDashboard`. */
export interface DashboardOptions {
  runsDir: string;
  host?: string;
  port?: number;
  /** Folder of the built page (default: build/dashboard of the package). */
  webDir?: string | null;
  pollMs?: number;
}

/** A running dashboard. */
export interface RunningDashboard {
  url: string;
  port: number;
  runsDir: string;
  /** Whether the page was found (else a note asks to build it). */
  pageBuilt: boolean;
  close(): Promise<void>;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

/** Start the dashboard server; rejects with a one-line UserError when the address cannot be bound. */
export async function startDashboard(opts: DashboardOptions): Promise<RunningDashboard> {
  const host = opts.host ?? '127.0.0.1';
  const runsDir = resolve(opts.runsDir);
  const webDir = opts.webDir === undefined ? defaultWebDir() : opts.webDir;
  // A server on loopback answers only to loopback names (no DNS rebinding); one bound wider answers to any.
  const wide = host === '0.0.0.0' || host === '::';
  const allowedHosts = wide ? null : [...new Set([...LOOPBACK, host.replace(/^\[(.*)\]$/, '$1')])];
  const { app, hub } = createDashboardApp({ runsDir, webDir, allowedHosts, ...(opts.pollMs ? { pollMs: opts.pollMs } : {}) });
  const server = await new Promise<Server>((resolvePromise, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 8050, hostname: host }) as Server;
    s.once('listening', () => resolvePromise(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      hub.close();
      if (err.code === 'EADDRINUSE') reject(new UserError(`port ${opts.port ?? 8050} on ${host} is in use; pick another with --port (0 = any free port)`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new UserError(`--host ${host}: not an address of this machine`));
      else if (err.code === 'EACCES') reject(new UserError(`port ${opts.port ?? 8050}: permission denied; use a port above 1023`));
      else reject(err);
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    runsDir,
    pageBuilt: webDir !== null,
    close: () =>
      new Promise<void>((done) => {
        hub.close();
        server.close(() => done());
        server.closeAllConnections(); // open event streams would otherwise hold the server
      }),
  };
}

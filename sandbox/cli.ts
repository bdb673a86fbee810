#!/usr/bin/env node
/**
 * `npx cityfibre-sandbox [flags]` / `npm run sandbox -- [flags]`: the local CityFibre sandbox.
 * Prints one ready line (READY_PREFIX + JSON with the base URL and the certificate paths), then
 * one line per exchange. Ctrl-C stops it and saves the state file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import type { SandboxOptions } from './index';
import type { LogLevel } from './log';
import { DEFAULT_BUYERS, DEFAULT_CLOCK_SPEED, DEFAULT_HOLD_PROBABILITY, DEFAULT_PORT, SEED_SERVICE_IDS, startSandbox } from './index';
import { formatReadyLine, readyInfo } from './readyLine';

const HELP = `Usage: cityfibre-sandbox [options]

A local simulator of CityFibre's Ticketing API over mutual TLS.

  --port N              port on --host (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDRESS        address to listen on (default 127.0.0.1)
  --certs DIR           certificates: made on first start, reused later (default .sandbox/certs)
  --passphrase TEXT     passphrase of the encrypted key and PKCS#12 bundle (or env
                        CITYFIBRE_SANDBOX_PASSPHRASE; default: random, kept in DIR/buyer.passphrase)
  --notify URL          the Buyer's notification endpoint (http or https)
  --notify-ca FILE      extra CA certificate (PEM) to trust for an https --notify endpoint
  --buyer ID            accepted buyerIdentifier; repeat or comma-separate (default ${DEFAULT_BUYERS.join(',')})
  --service ID          accepted service ID besides the seed list; repeat or comma-separate
  --clock-speed N       simulated seconds per real second (default ${DEFAULT_CLOCK_SPEED})
  --state FILE          keep tickets across restarts in this JSON file
  --seed N              seed of the "sometimes On Hold" draw (default: random)
  --hold-probability P  chance 0-1 that work pauses On Hold (default ${DEFAULT_HOLD_PROBABILITY})
  --no-auto-progress    tickets move only by your calls, the control interface and the 48-hour auto-close
  --quiet               print only the ready line and errors (errors always go to stderr)
  --help                this text

Seed service IDs: ${SEED_SERVICE_IDS[0]} … ${SEED_SERVICE_IDS[19]}, ${SEED_SERVICE_IDS.slice(20).join(', ')}.
Control interface: GET/POST <root>/_sandbox/<method> (list: GET <root>/_sandbox/).`;

function list(values: string[] | undefined): string[] {
	return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function number(value: string | undefined, flag: string, check: (n: number) => boolean): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isFinite(n) || !check(n)) throw new UsageError(`${flag} ${value}: not a valid value`);
	return n;
}

class UsageError extends Error {}

function options(argv: string[]): (SandboxOptions & { quiet: boolean }) | 'help' {
	const { values } = parseArgs({
		args: argv,
		strict: true,
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			certs: { type: 'string' },
			passphrase: { type: 'string' },
			notify: { type: 'string' },
			'notify-ca': { type: 'string', multiple: true },
			buyer: { type: 'string', multiple: true },
			service: { type: 'string', multiple: true },
			'clock-speed': { type: 'string' },
			state: { type: 'string' },
			seed: { type: 'string' },
			'hold-probability': { type: 'string' },
			'no-auto-progress': { type: 'boolean' },
			quiet: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) return 'help';
	const notifyCa = (values['notify-ca'] ?? []).map((file) => {
		try {
			return fs.readFileSync(file, 'utf8');
		} catch (error) {
			throw new UsageError(`--notify-ca ${file}: ${(error as Error).message}`);
		}
	});
	if (values.notify) {
		try {
			const url = new URL(values.notify);
			if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http or https');
		} catch {
			throw new UsageError(`--notify ${values.notify}: not an http or https URL`);
		}
	}
	return {
		port: number(values.port, '--port', (n) => Number.isInteger(n) && n >= 0 && n <= 65535) ?? DEFAULT_PORT,
		host: values.host,
		certsDir: values.certs,
		passphrase: values.passphrase ?? (process.env.CITYFIBRE_SANDBOX_PASSPHRASE || undefined),
		notifyUrl: values.notify,
		notifyCa,
		buyers: list(values.buyer),
		serviceIds: list(values.service),
		clockSpeed: number(values['clock-speed'], '--clock-speed', (n) => n > 0),
		stateFile: values.state === undefined ? undefined : path.resolve(values.state),
		seed: number(values.seed, '--seed', Number.isInteger),
		holdProbability: number(values['hold-probability'], '--hold-probability', (n) => n >= 0 && n <= 1),
		autoProgress: !values['no-auto-progress'],
		quiet: Boolean(values.quiet),
	};
}

function timestamp(): string {
	return new Date().toISOString().slice(11, 23);
}

async function main(): Promise<void> {
	let parsed: ReturnType<typeof options>;
	try {
		parsed = options(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`cityfibre-sandbox: ${(error as Error).message}\n\n${HELP}\n`);
		process.exitCode = 2;
		return;
	}
	if (parsed === 'help') {
		process.stdout.write(`${HELP}\n`);
		return;
	}
	const { quiet, ...sandboxOptions } = parsed;
	const log = (line: string, level: LogLevel = 'info') => {
		if (level === 'error') process.stderr.write(`${timestamp()} ${line}\n`);
		else if (!quiet) process.stdout.write(`${timestamp()} ${line}\n`);
	};
	let sandbox;
	try {
		sandbox = await startSandbox({ ...sandboxOptions, log });
	} catch (error) {
		const e = error as NodeJS.ErrnoException;
		const hint = e.code === 'EADDRINUSE' ? ` (port ${sandboxOptions.port} is in use: pick another with --port, or --port 0)` : '';
		process.stderr.write(`cityfibre-sandbox: cannot start: ${e.message}${hint}\n`);
		process.exitCode = 1;
		return;
	}
	process.stdout.write(`${formatReadyLine(readyInfo(sandbox, { notifyUrl: sandboxOptions.notifyUrl, stateFile: sandboxOptions.stateFile }))}\n`);
	const restored = sandbox.restoredTickets;
	if (restored) log(`${restored} ticket${restored === 1 ? '' : 's'} restored from ${sandboxOptions.stateFile}`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping`);
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();

#!/usr/bin/env node
// Makes sure the system programs the test suite drives for real are installed: Debian's Chromium for the
// docs site's browser test, a Redis server, and curl and Python's requests for the server's run of the
// API page's examples. On a Debian machine where we are root it installs what is missing with apt-get (after `apt-get update`); elsewhere it says what to install and exits non-zero.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Each program the tests need, by the path they use, and the Debian package that brings it. */
const REQUIRED = [
  { path: '/usr/bin/chromium', debianPackage: 'chromium' },
  { path: '/usr/bin/redis-server', debianPackage: 'redis-server' },
  // The server's tests run the public API page's examples: curl, and Python `requests` on Debian's python3.
  { path: '/usr/bin/curl', debianPackage: 'curl' },
  { path: '/usr/lib/python3/dist-packages/requests/__init__.py', debianPackage: 'python3-requests' },
];

const missing = REQUIRED.filter((requirement) => !existsSync(requirement.path));
if (missing.length === 0) process.exit(0);

const packages = missing.map((requirement) => requirement.debianPackage);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(
    `The tests need ${packages.join(', ')}. Install them (Debian: sudo apt-get install ${packages.join(' ')}) and run again.`,
  );
  process.exit(1);
}
console.log(`Installing ${packages.join(', ')} with apt-get for the tests...`);
const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: environment });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
  stdio: 'inherit',
  env: environment,
});

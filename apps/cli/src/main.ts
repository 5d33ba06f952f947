#!/usr/bin/env node
// The TypeScript backend is a dependency and always registered; faster official backends that are
// installed are found by core's discovery when `auto` or `backends` asks for them.
import '@brokenrecord/backend-ts';
import { CommanderError } from 'commander';
import { describeError, EXIT } from './errors.js';
import { buildProgram } from './program.js';

// `brokenrecord run seed | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed its message (help, version, or a one-line usage error).
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const { message, exitCode } = describeError(error);
    process.stderr.write(`brokenrecord: ${message}\n`);
    if (process.env.BROKENRECORD_DEBUG === '1' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  }
}

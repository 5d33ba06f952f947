/**
 * The first Ctrl-C asks the run to stop at its next pause, so the outputs (a snapshot to resume
 * from, complete trajectory files) and the report are still written; a second one kills as usual.
 */
export function watchInterrupt(): { requested: () => boolean; dispose: () => void } {
  let requested = false;
  const onSignal = () => {
    requested = true;
    process.stderr.write('\nbrokenrecord: stopping at the next pause to write outputs (Ctrl-C again to abort)\n');
  };
  process.once('SIGINT', onSignal);
  return { requested: () => requested, dispose: () => process.off('SIGINT', onSignal) };
}

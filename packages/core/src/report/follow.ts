import type { TrainEvent } from '../training/events';
import type { Progress } from './progress';
import type { RunReport } from './run-report';

/**
 * Drains a trainer's events into a run report (curves, metrics) and a progress bar (loss, energy
 * gap, var(syn)), printing divergence rollbacks as they happen; stops the bar at the end, also when
 * training throws.
 */
export async function followTraining(events: AsyncIterable<TrainEvent>, report: RunReport, progress: Progress): Promise<void> {
  try {
    for await (const e of events) {
      report.record(e);
      if (e.type === 'step') progress.update(e.iteration, { loss: e.loss, gap: e.gap, var: e.sampleVar });
      if (e.type === 'diverged') progress.log(`diverged at ${e.iteration}: ${e.reason}; rolled back to ${e.rolledBackTo}`);
    }
  } finally {
    progress.stop();
  }
}

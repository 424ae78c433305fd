import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { REQUEST_CHANNEL } from '@coordinate/model';
import { sharedClockMs } from './agents-clock.js';
import { startScriptedServerThread } from './agents-server-thread.js';
import { BENCH_TASK_ID, readingTurns, runTaskInProcess } from './agents-task.js';

/** Per tool call, in ms, from the model's answer being complete, less the tool's own run, until the next request… */
export interface OverheadMeasure {
  /**
   * …is handed to the HTTP connection: all of the worker's own work (parsing the answer,
   * progress, redaction, the transcript) and the SDK building the request.
   */
  samples: number[];
  /**
   * …reaches the server: adds writing it to the socket, where on loopback the sender's kernel
   * also does the receiver's TCP work, and the server's thread waking up.
   */
  toServer: number[];
}

/**
 * The worker's own time per tool call, on a task that reads a file each turn. Progress events
 * stamp when each answer was complete and how long its tool ran; the model client's diagnostics
 * channel stamps when each request was handed to the connection; a proxy on the server's thread
 * stamps its arrival.
 */
export async function measureToolOverhead(turns: number): Promise<OverheadMeasure> {
  const server = await startScriptedServerThread({ tasks: { [BENCH_TASK_ID]: readingTurns(turns) } }, { timed: true });
  const handed: number[] = [];
  const onHanded = () => handed.push(sharedClockMs());
  subscribe(REQUEST_CHANNEL, onHanded);
  try {
    const answered: number[] = [];
    const toolStarted: number[] = [];
    const toolEnded: number[] = [];
    const { result } = await runTaskInProcess({
      baseUrl: server.url,
      cache: true,
      maxTurns: turns,
      onProgress: (event, at) => {
        if (event.kind === 'turn') answered.push(at);
        else if (event.kind === 'tool_call') toolStarted.push(at);
        else if (event.kind === 'tool_result' && event.tool !== 'complete_task') toolEnded.push(at);
      },
    });
    const arrivals = await server.close();
    const counts = [handed.length, arrivals.length];
    if (result.outcome !== 'succeeded' || counts.some((count) => count !== turns)) {
      throw new Error(`the overhead task did not run as scripted: ${result.outcome}; requests handed over, received: ${counts.join(', ')}`);
    }
    // Turn i's answer (one tool call) is followed by request i + 1.
    const overhead = (next: number[]) => toolEnded.map((ended, i) => next[i + 1]! - answered[i]! - (ended - toolStarted[i]!));
    return { samples: overhead(handed), toServer: overhead(arrivals) };
  } finally {
    unsubscribe(REQUEST_CHANNEL, onHanded);
    await server.close();
  }
}

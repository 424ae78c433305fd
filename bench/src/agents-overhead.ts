import { createModelClient, streamTurn } from '@coordinate/model';
import { sharedClockMs } from './agents-clock.js';
import { startScriptedServerThread } from './agents-server-thread.js';
import { BENCH_MODEL, BENCH_TASK_ID, readingTurns, runTaskInProcess } from './agents-task.js';

export interface OverheadMeasure {
  /** Per tool call, in ms: from the model's answer being complete to the next request reaching the server, less the tool's own run. */
  samples: number[];
}

/**
 * The worker's own time per tool call: parsing the answer, reporting progress, redaction, the
 * transcript, building and sending the next request. A proxy on the server's thread stamps when
 * each request arrives; progress events stamp when an answer was complete and how long its tool ran.
 */
export async function measureToolOverhead(turns: number): Promise<OverheadMeasure> {
  const server = await startScriptedServerThread({ tasks: { [BENCH_TASK_ID]: readingTurns(turns) } });
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
    if (result.outcome !== 'succeeded' || arrivals.length !== turns) {
      throw new Error(`the overhead task did not run as scripted: ${result.outcome} after ${arrivals.length} requests`);
    }
    // Turn i's answer (one tool call) is followed by request i + 1.
    const samples = toolEnded.map((ended, i) => arrivals[i + 1]! - answered[i]! - (ended - toolStarted[i]!));
    return { samples };
  } finally {
    await server.close();
  }
}

/**
 * The part of that overhead the HTTP client alone takes, per request: from calling the SDK to the
 * request reaching the server, with a prompt of about the size the loop sends.
 */
export async function measureRequestSend(requests: number): Promise<number[]> {
  const server = await startScriptedServerThread({ fallback: readingTurns(2) });
  try {
    const client = createModelClient({ apiKey: 'bench-key-not-secret', baseURL: server.url });
    const prompt = 'a line of notes the task has read\n'.repeat(600);
    const calledAt: number[] = [];
    for (let i = 0; i < requests; i++) {
      calledAt.push(sharedClockMs());
      await streamTurn(client, { model: BENCH_MODEL, max_tokens: 1024, messages: [{ role: 'user', content: `${prompt}${i}` }] }, {});
    }
    const arrivals = await server.close();
    return calledAt.map((at, i) => arrivals[i]! - at);
  } finally {
    await server.close();
  }
}

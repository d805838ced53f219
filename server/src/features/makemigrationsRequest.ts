import { DjangoHelperCancelledError, HELPER_RESTARTED } from '../django/djangoErrors';
import { MakemigrationsQuestion as HelperQuestion, MakemigrationsResult } from '../django/djangoHelperProtocol';
import {
  DjangoAnswer,
  MakemigrationsAnswer,
  MakemigrationsQuestion,
  MakemigrationsParams,
  MakemigrationsRequest,
} from '../../../protocol/index';
import { DjangoBridge } from '../workspace/djangoBridge';
import { ServerContext } from '../serverContext';

/**
 * `djangoMigrations/makemigrations`: makemigrations through the project's Django, writing files.
 * Each question Django asks comes back to the editor, which asks the user and sends the request
 * again with every answer so far: Django runs again from the start and gets them in order.
 */
export function registerMakemigrationsRequest(context: ServerContext): void {
  const bridge = context.workspace.django;
  context.connection.onRequest(MakemigrationsRequest, (params: MakemigrationsParams) => makemigrations(bridge, params));
}

export function makemigrations(bridge: DjangoBridge, params: MakemigrationsParams): Promise<DjangoAnswer<MakemigrationsAnswer>> {
  return bridge.run(params, async (helper) => {
    const request = { apps: params.apps, name: params.name, answers: params.answers };
    // The editor saved the models just before asking: the file watcher's restart of the helper may
    // land while Django runs. The new process reads the saved sources, so the request is sent again.
    const run = async (): Promise<MakemigrationsResult> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await helper.makemigrations(request);
        } catch (error) {
          if (!(error instanceof DjangoHelperCancelledError) || error.reason !== HELPER_RESTARTED || attempt === 3) throw error;
        }
      }
    };
    let result = await run();
    // Django cannot unload models: a process that imported older sources is replaced.
    if (result.stale) {
      await helper.restart();
      result = await run();
    }
    if (result.stale) throw new Error('the project changed on disk while makemigrations started; run it again.');
    return {
      ...(result.question ? { question: editorQuestion(result.question) } : {}),
      exitCode: result.exitCode ?? 0,
      written: Object.values(result.written ?? {}).flatMap((files) => files.map((file) => file.path)),
      stdout: result.stdout,
      stderr: result.stderr,
    };
  });
}

/** The helper's question as the editor asks it: the count of answers before it stays here. */
function editorQuestion({ index: _, ...question }: HelperQuestion): MakemigrationsQuestion {
  return question;
}

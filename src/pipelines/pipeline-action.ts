import type { AppContext } from '../app-context.ts';
import { defineAction, type ActionDefinition } from '../kit/define-connector.ts';
import type { RunContext } from '../kit/run-context.ts';

/**
 * The run context of a shared action (a pipeline the engine attaches by capability): a connector's run
 * context plus the app context, which only the platform's own pipelines get (connectors read the platform
 * through rc.platform). The engine hands the same object to every action; the type is what keeps the
 * database away from connectors, with the dependency rules of tests/architecture.test.ts.
 */
export interface PipelineRunContext<O = unknown, T = unknown> extends RunContext<unknown, O, T> {
  ctx: AppContext;
}

/** Declares a shared action whose run needs the platform (user import, report and xAPI exports). */
export function definePipelineAction<O, T = never>(
  a: Omit<ActionDefinition<unknown, O, T>, 'run'> & { run(rc: PipelineRunContext<O, T>): Promise<void> },
): ActionDefinition<unknown, O, T> {
  return defineAction<unknown, O, T>(a as ActionDefinition<unknown, O, T>);
}

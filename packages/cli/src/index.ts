// @netlayers/cli: the netlayers command — run a script with traces, ladders, pcaps and
// stepping. `runCli(argv)` is the whole command, usable from tests and other tools.

export { runCli, describeModels } from './main.ts';
export { parseCommandLine, UsageError, USAGE, TRACE_FORMATS, MODELS, type Command, type TraceFormat, type CliModel } from './args.ts';
export { runScript, type CliIo } from './run.ts';

import { randomUUID } from 'crypto';
import type {
  CoreInvocationContext,
  RpcBindingInfo,
  RpcInvocationResponse,
  RpcParameterBinding,
  RpcTypedData,
} from './core-types';
import type { FunctionRegistry, RegisteredFunction } from './function-registry';
import { directHttpResult } from './http-response';
import { describeError, type HostLogger } from './logger';
import { fromTypedData } from './typed-data';

/** Data a trigger hands to one invocation, in the worker's RPC shapes. */
export interface TriggerInput {
  data: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  /** Values binding expressions (`{name}`) may use: trigger metadata and, for JSON triggers, the payload. */
  bindingData?: Record<string, unknown>;
  retryContext?: { retryCount: number; maxRetryCount: number };
}

export interface BindingContext {
  fn: RegisteredFunction;
  bindingData: Record<string, unknown>;
  now: Date;
}

/** Supplies the data of an extra input binding (`durableClient`, `blob`, ...) for one invocation. */
export type InputBindingResolver = (
  binding: RpcBindingInfo,
  context: BindingContext
) => Promise<RpcTypedData | undefined>;

/** Carries out an output binding (`queue`, `blob`, `serviceBus`, ...) after a successful invocation. */
export type OutputBindingWriter = (
  binding: RpcBindingInfo,
  value: unknown,
  context: BindingContext
) => Promise<void>;

export class UnsupportedBindingError extends Error {}

export interface InvocationOutcome {
  /** The function's return value (for HTTP, the RPC http response). */
  returnValue: RpcTypedData | null | undefined;
  response: RpcInvocationResponse;
}

/**
 * Runs one invocation the way the Node worker does: hooks, the programming model's conversion of RPC
 * input into arguments, the handler, the conversion of the result back, then the output bindings.
 */
export class Invoker {
  readonly inputResolvers = new Map<string, InputBindingResolver>();
  readonly outputWriters = new Map<string, OutputBindingWriter>();

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly logger: HostLogger,
    private readonly clock: () => Date = () => new Date()
  ) {}

  /** Bindings of `fn` that no resolver or writer handles, so the host can say so at start. */
  unsupportedBindings(fn: RegisteredFunction): string[] {
    return Object.entries(fn.metadata.bindings)
      .filter(([name, b]) => name !== fn.triggerName && b.type?.toLowerCase() !== 'http')
      .filter(([, b]) =>
        b.direction === 'out'
          ? !this.outputWriters.has(lower(b.type))
          : !this.inputResolvers.has(lower(b.type))
      )
      .map(
        ([name, b]) =>
          `${b.direction === 'out' ? 'output' : 'input'} binding "${name}" of type "${b.type ?? '?'}"`
      );
  }

  async invoke(fn: RegisteredFunction, input: TriggerInput): Promise<InvocationOutcome> {
    const invocationId = randomUUID();
    const now = this.clock();
    const bindingContext: BindingContext = { fn, bindingData: input.bindingData ?? {}, now };
    const inputData: RpcParameterBinding[] = [{ name: fn.triggerName, data: input.data }];
    for (const [name, binding] of extraInputsOf(fn)) {
      const resolver = this.inputResolvers.get(lower(binding.type));
      if (!resolver)
        throw new UnsupportedBindingError(`Input binding type "${binding.type}" is not supported.`);
      inputData.push({ name, data: await resolver(binding, bindingContext) });
    }

    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.name,
        inputData,
        triggerMetadata: input.triggerMetadata ?? {},
        retryContext: input.retryContext ?? null,
        traceContext: null,
      },
      metadata: fn.metadata,
      log: (level, _category, message) => this.logger.log(level, `[${fn.name}] ${message}`),
    };

    const model = this.registry.programmingModel.getInvocationModel(coreCtx);
    const { context, inputs } = await model.getArguments();
    const hookData: Record<string, unknown> = {};
    const pre = { invocationContext: context, inputs, functionCallback: fn.callback, hookData };
    const preHooks = this.registry.hooksOf('preInvocation');
    const postHooks = this.registry.hooksOf('postInvocation');
    coreCtx.state = 'preInvocationHooks';
    for (const hook of preHooks) await hook(pre);

    coreCtx.state = 'invocation';
    let result: unknown;
    let error: unknown;
    try {
      result = await model.invokeFunction(context, pre.inputs, pre.functionCallback);
    } catch (err) {
      error = err;
    }

    coreCtx.state = 'postInvocationHooks';
    const post = { invocationContext: context, inputs: pre.inputs, result, error, hookData };
    for (const hook of postHooks) await hook(post);
    if (post.error) throw post.error instanceof Error ? post.error : new Error(describeError(post.error));

    // A plain HttpResponseInit of an HTTP-only function is converted without the library's Response.
    const direct = answersOnlyHttp(fn) ? directHttpResult(post.result) : undefined;
    const response: RpcInvocationResponse = direct
      ? { invocationId, outputData: [], returnValue: direct.value }
      : await model.getResponse(context, post.result);
    await this.#writeOutputs(fn, response, bindingContext);
    return { returnValue: response.returnValue, response };
  }

  async #writeOutputs(fn: RegisteredFunction, response: RpcInvocationResponse, context: BindingContext) {
    const outputs = response.outputData;
    if (outputs) for (const output of outputs) await this.#writeOutput(fn, output.name, output.data, context);
    const returnBinding = fn.metadata.bindings.$return;
    if (returnBinding && lower(returnBinding.type) !== 'http') {
      await this.#writeOutput(fn, '$return', response.returnValue, context);
    }
  }

  async #writeOutput(
    fn: RegisteredFunction,
    name: string,
    data: RpcTypedData | null | undefined,
    context: BindingContext
  ) {
    const binding = fn.metadata.bindings[name];
    const value = fromTypedData(data);
    if (!binding || value === undefined || value === null) return;
    const writer = this.outputWriters.get(lower(binding.type));
    if (!writer) throw new UnsupportedBindingError(`Output binding type "${binding.type}" is not supported.`);
    await writer(binding, value, context);
  }
}

/** A function's bindings are fixed once registered, so its input bindings are listed once. */
const extraInputs = new WeakMap<RegisteredFunction, [string, RpcBindingInfo][]>();

function extraInputsOf(fn: RegisteredFunction): [string, RpcBindingInfo][] {
  let inputs = extraInputs.get(fn);
  if (!inputs) {
    inputs = Object.entries(fn.metadata.bindings).filter(
      ([name, binding]) => name !== fn.triggerName && binding.direction !== 'out'
    );
    extraInputs.set(fn, inputs);
  }
  return inputs;
}

/** HTTP-triggered functions whose only output is the HTTP response (`$return`), listed once each. */
const onlyHttpOut = new WeakMap<RegisteredFunction, boolean>();

function answersOnlyHttp(fn: RegisteredFunction): boolean {
  let only = onlyHttpOut.get(fn);
  if (only === undefined) {
    const outputs = Object.entries(fn.metadata.bindings).filter(([, b]) => b.direction === 'out');
    only =
      lower(fn.trigger.type) === 'httptrigger' &&
      outputs.length === 1 &&
      outputs[0]![0] === '$return' &&
      lower(outputs[0]![1].type) === 'http';
    onlyHttpOut.set(fn, only);
  }
  return only;
}

function lower(value: string | null | undefined): string {
  return (value ?? '').toLowerCase();
}

import { ValidationError } from '../errors';

/** A named, ordered list of sources a strategy plans from (order = Saleor's "sorting order"). */
export interface SourceListInput {
  name: string;
  sourceIds: string[];
}

export interface SourceList extends SourceListInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** The list `input` describes; `unknown` are source ids the catalog does not have (refused). */
export function sourceListFromInput(
  id: string,
  input: SourceListInput,
  unknown: ReadonlySet<string>,
  existing: SourceList | undefined,
  now: Date
): SourceList {
  const issues = input.sourceIds.flatMap((sourceId, index) =>
    unknown.has(sourceId)
      ? [{ path: `/sourceIds/${index}`, message: `source ${sourceId} does not exist` }]
      : []
  );
  if (issues.length > 0) throw new ValidationError('The source list is not valid.', issues);
  const at = now.toISOString();
  return {
    id,
    name: input.name,
    sourceIds: [...input.sourceIds],
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}

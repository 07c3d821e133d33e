/**
 * Master-data stage: a generated product CSV (BENCH_MD_ROWS, 10,000) imported through the file-drop
 * use case (parse, validate, read existing by key pages, write) on the embedded Cosmos server, next
 * to the raw rate of plain `container.items.upsert` of the same documents with the same concurrency
 * in the same run; then the same file again (every row unchanged, nothing written).
 * BENCH_ONLY=masterdata runs it alone, writing masterdata-YYYY-MM-DD.{json,md}.
 */
import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import type { Container, JSONObject } from '@azure/cosmos';
import { BlobServiceClient } from '@azure/storage-blob';
import type { EmbeddedServices } from '@openiom/local-functions-host';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';
import { CosmosMasterDataImportRecords } from '../../shared/adapters/cosmos/master-data-import-records';
import { CosmosMasterDataStore } from '../../shared/adapters/cosmos/master-data-store';
import { tableFileParser } from '../../shared/adapters/files/table-file-parser';
import { BlobImportReportStore } from '../../shared/adapters/storage/inventory-import-reports';
import {
  importMasterDataFile,
  type ImportMasterDataFileDeps,
} from '../../shared/app/master-data/import-master-data-file';
import { masterDataKinds } from '../../shared/app/master-data/master-data-kinds';
import { productFromInput } from '../../shared/domain/products/product';
import type { MasterDataImport } from '../../shared/ports/master-data';
import { writeStageOnly } from './intake-load';
import type { Check } from './report';
import { envNumber } from './support';

export interface MasterDataFigures {
  rows: number;
  writeConcurrency: number;
  pageSize: number;
  /** Plain upserts of the same documents, same concurrency, fresh container. */
  rawUpsertsPerSec: number;
  /** The same documents upserted with executeBulkOperations, a page per call, fresh container. */
  rawBulkUpsertsPerSec: number;
  /** The file import into an empty catalog: every row created. */
  importRowsPerSec: number;
  importSeconds: number;
  /** The same file again: every row unchanged, nothing written. */
  redropRowsPerSec: number;
  redropSeconds: number;
  created: number;
  unchanged: number;
}

function productCsv(rows: number): Buffer {
  const lines = [
    'sku,name,unit,dimensions.length,dimensions.width,dimensions.height,dimensions.unit,weight.value,weight.unit,units.0.unit,units.0.factor',
  ];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      `B-${i},Product ${i},each,${10 + (i % 7)},8,4,cm,${(0.1 + (i % 5) / 10).toFixed(1)},kg,box,12`
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function productDocuments(rows: number) {
  const at = new Date().toISOString();
  return Array.from({ length: rows }, (_, index) => {
    const i = index + 1;
    const product = productFromInput(
      `B-${i}`,
      {
        name: `Product ${i}`,
        unit: 'each',
        dimensions: { length: 10 + (i % 7), width: 8, height: 4, unit: 'cm' },
        weight: { value: Number((0.1 + (i % 5) / 10).toFixed(1)), unit: 'kg' },
        units: [{ unit: 'box', factor: 12 }],
      },
      undefined,
      new Date(at)
    );
    return { ...product, id: product.sku, type: 'product', key: `product:${product.sku}` };
  });
}

/** Plain upserts, `concurrency` in flight. */
async function rawUpserts(container: Container, rows: number, concurrency: number): Promise<number> {
  const docs = productDocuments(rows);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < docs.length) await container.items.upsert(docs[next++]!);
    })
  );
  return rows / ((performance.now() - started) / 1000);
}

/** Upserts in bulk requests (the SDK's executeBulkOperations), one call per page as the import writes. */
async function rawBulkUpserts(container: Container, rows: number, pageSize: number): Promise<number> {
  const docs = productDocuments(rows);
  const started = performance.now();
  for (let start = 0; start < docs.length; start += pageSize) {
    const results = await container.items.executeBulkOperations(
      docs.slice(start, start + pageSize).map((doc) => ({
        operationType: 'Upsert' as const,
        partitionKey: doc.key,
        resourceBody: doc as unknown as JSONObject,
      }))
    );
    const failed = results.find((r) => (r.response?.statusCode ?? 0) >= 300 || r.error !== undefined);
    if (failed !== undefined)
      throw new Error(`raw bulk upsert failed: ${String(failed.error ?? failed.response?.statusCode)}`);
  }
  return rows / ((performance.now() - started) / 1000);
}

export async function runMasterDataStage(
  services: EmbeddedServices,
  log: (line: string) => void
): Promise<MasterDataFigures> {
  const rows = envNumber('BENCH_MD_ROWS', 10_000);
  const writeConcurrency = envNumber('BENCH_MD_CONCURRENCY', 16);
  const pageSize = envNumber('BENCH_MD_PAGE', 500);
  const client = createCosmosClient({ endpoint: services.cosmosEndpoint, key: services.cosmosKey });
  const raw = await ensureDatabaseAndContainers(client, `bench-md-raw-${randomUUID()}`);
  const app = await ensureDatabaseAndContainers(client, `bench-md-${randomUUID()}`);
  try {
    log(`masterdata: raw upserts of ${rows} product documents, ${writeConcurrency} at once`);
    const rawUpsertsPerSec = await rawUpserts(raw.containers.catalog, rows, writeConcurrency);
    log(`masterdata: raw ${Math.round(rawUpsertsPerSec)} upserts/s`);
    const rawBulkUpsertsPerSec = await rawBulkUpserts(raw.containers.intake, rows, pageSize);
    log(`masterdata: raw bulk ${Math.round(rawBulkUpsertsPerSec)} upserts/s`);

    const clock = { now: () => new Date() };
    const blobs = BlobServiceClient.fromConnectionString(services.storageConnectionString);
    const deps: ImportMasterDataFileDeps = {
      kinds: masterDataKinds(() => undefined),
      store: new CosmosMasterDataStore(app.containers.catalog),
      clock,
      parser: tableFileParser,
      records: new CosmosMasterDataImportRecords(app.containers.jobs, clock),
      reports: new BlobImportReportStore<MasterDataImport>(
        blobs.getContainerClient(`bench-md-${randomUUID().slice(0, 8)}`)
      ),
      pageSize,
      writeConcurrency,
    };
    const content = productCsv(rows);
    const timed = async (etag: string) => {
      const started = performance.now();
      const report = await importMasterDataFile(deps, { name: 'products/bench.csv', etag, content });
      return { report, seconds: (performance.now() - started) / 1000 };
    };
    log(`masterdata: importing a ${rows}-row product CSV`);
    const first = await timed('e1');
    log(`masterdata: imported in ${first.seconds.toFixed(2)} s (${first.report.created} created)`);
    const again = await timed('e2');
    log(`masterdata: dropped again in ${again.seconds.toFixed(2)} s (${again.report.unchanged} unchanged)`);
    if (first.report.created !== rows || again.report.unchanged !== rows) {
      throw new Error(
        `masterdata: expected ${rows} created then unchanged, got ${JSON.stringify([first.report, again.report].map((r) => ({ ...r, errors: r.errors.slice(0, 3) })))}`
      );
    }
    return {
      rows,
      writeConcurrency,
      pageSize,
      rawUpsertsPerSec,
      rawBulkUpsertsPerSec,
      importRowsPerSec: rows / first.seconds,
      importSeconds: first.seconds,
      redropRowsPerSec: rows / again.seconds,
      redropSeconds: again.seconds,
      created: first.report.created,
      unchanged: again.report.unchanged,
    };
  } finally {
    await raw.database.delete().catch(() => undefined);
    await app.database.delete().catch(() => undefined);
    client.dispose();
  }
}

export function masterDataChecks(figures: MasterDataFigures): Check[] {
  const baselineName = `raw container.items.upsert, same ${figures.rows} documents, ${figures.writeConcurrency} at once`;
  return [
    {
      measure: `master-data import, ${figures.rows}-row product CSV, all new`,
      host: Math.round(figures.importRowsPerSec),
      baseline: Math.round(figures.rawUpsertsPerSec),
      baselineName,
      unit: 'rows/s',
      ratio: figures.importRowsPerSec / figures.rawUpsertsPerSec,
    },
    {
      measure: `master-data import, ${figures.rows}-row product CSV, all new (vs raw bulk)`,
      host: Math.round(figures.importRowsPerSec),
      baseline: Math.round(figures.rawBulkUpsertsPerSec),
      baselineName: `raw executeBulkOperations upserts, same documents, ${figures.pageSize} per call`,
      unit: 'rows/s',
      ratio: figures.importRowsPerSec / figures.rawBulkUpsertsPerSec,
    },
    {
      measure: 'the same file dropped again, all unchanged (nothing written)',
      host: Math.round(figures.redropRowsPerSec),
      baseline: Math.round(figures.rawUpsertsPerSec),
      baselineName,
      unit: 'rows/s',
      ratio: figures.redropRowsPerSec / figures.rawUpsertsPerSec,
    },
  ];
}

export function masterDataMarkdown(figures: MasterDataFigures): string {
  return [
    `A ${figures.rows}-row product CSV (dimensions, weight, a unit conversion per row) imported with`,
    '`importMasterDataFile` in the bench process on the embedded Cosmos server: parse, validate every',
    `row, read existing records ${figures.pageSize} keys per query, compare content hashes, write with`,
    `${figures.writeConcurrency} at once, and record progress in \`jobs\` after each page.`,
    `All new: ${figures.importSeconds.toFixed(2)} s;`,
    `the same file again (all unchanged, nothing written): ${figures.redropSeconds.toFixed(2)} s. The baseline is plain`,
    `\`container.items.upsert\` of the same documents, ${figures.writeConcurrency} at once, into a fresh container, and the`,
    'same documents upserted with `executeBulkOperations` a page per call (another fresh container), same run.',
    // BENCH_NOTE: e.g. that the machine was shared with other work during the run.
    ...(process.env.BENCH_NOTE ? ['', process.env.BENCH_NOTE] : []),
    '',
  ].join('\n');
}

/** `BENCH_ONLY=masterdata`: writes test/bench/results/masterdata-YYYY-MM-DD.{json,md}. */
export async function runMasterDataOnly(
  services: EmbeddedServices,
  date: Date,
  log: (line: string) => void
): Promise<number> {
  const masterdata = await runMasterDataStage(services, log);
  return writeStageOnly(
    'masterdata',
    date,
    masterDataChecks(masterdata),
    masterDataMarkdown(masterdata),
    { masterdata },
    log
  );
}

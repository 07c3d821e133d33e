import type { StoredMeasureConfiguration } from '../domain/inventory/measures/measure-config';

/** The one measure configuration document (absent: the defaults are in force). */
export interface MeasureConfigurationStore {
  get(): Promise<{ value: StoredMeasureConfiguration; etag: string } | undefined>;
  create(value: StoredMeasureConfiguration): Promise<{ value: StoredMeasureConfiguration; etag: string }>;
  replace(
    value: StoredMeasureConfiguration,
    etag: string
  ): Promise<{ value: StoredMeasureConfiguration; etag: string }>;
}

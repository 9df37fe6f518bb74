/** Parquet schema elements and columns for hyparquet-writer: scalars and LIST (vector) columns. */
import type { ColumnSource } from 'hyparquet-writer';

/** The schema type of hyparquet-writer's `parquetWrite({ schema })`. */
export type SchemaElement = NonNullable<Parameters<typeof import('hyparquet-writer').parquetWriteBuffer>[0]['schema']>[number];

/** Element types used by the exports. */
export type ParquetScalar = 'FLOAT' | 'DOUBLE' | 'INT64' | 'BOOLEAN' | 'STRING';

/** One top-level column: its schema elements and its values (one entry per row). */
export interface ParquetColumn {
  schema: SchemaElement[];
  source: ColumnSource;
}

/** The leaf schema element of a scalar type. */
function leaf(name: string, type: ParquetScalar): SchemaElement {
  return type === 'STRING'
    ? { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' }
    : { name, type, repetition_type: 'REQUIRED' };
}

/** A required scalar column. INT64 values are bigints. */
export function scalarColumn(name: string, type: ParquetScalar, data: unknown[]): ParquetColumn {
  return { schema: [leaf(name, type)], source: { name, data: data as ColumnSource['data'] } };
}

/**
 * A required LIST column (the standard three-level layout `name.list.element`, which pyarrow
 * writes for list and fixed-size-list arrays): each row an array of `type` values.
 */
export function listColumn(name: string, type: ParquetScalar, rows: unknown[][]): ParquetColumn {
  return {
    schema: [{ name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }, leaf('element', type)],
    source: { name, data: rows as unknown as ColumnSource['data'] },
  };
}

/** The `schema` and `columnData` arguments of hyparquet-writer for these columns. */
export function parquetArguments(columns: ParquetColumn[]): { schema: SchemaElement[]; columnData: ColumnSource[] } {
  return {
    schema: [{ name: 'root', num_children: columns.length }, ...columns.flatMap((c) => c.schema)],
    columnData: columns.map((c) => c.source),
  };
}

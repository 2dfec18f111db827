import { DynamoDbError, type DynaliteJsonClient } from '../dynamodb/dynamodb-json';

interface DescribeTableOutput {
  Table: { KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }> };
}

/** Thrown when a write cannot be understood well enough to capture it; dynalite then gets it unchanged and rejects it. */
export class UncapturableWrite extends Error {
  override readonly name = 'UncapturableWrite';
}

/** The key attribute names of each table (hash first), read once per table with DescribeTable. */
export class KeySchemas {
  private readonly cache = new Map<string, Promise<string[]>>();

  constructor(private readonly dynalite: DynaliteJsonClient) {}

  /** Throws {@link UncapturableWrite} when the table does not exist. */
  async of(tableName: string): Promise<string[]> {
    let schema = this.cache.get(tableName);
    if (!schema) {
      schema = this.describe(tableName);
      this.cache.set(tableName, schema);
      schema.catch(() => this.cache.delete(tableName));
    }
    return schema;
  }

  forget(tableName: string): void {
    this.cache.delete(tableName);
  }

  private async describe(tableName: string): Promise<string[]> {
    try {
      const { Table } = await this.dynalite.call<DescribeTableOutput>('DescribeTable', { TableName: tableName });
      const hashFirst = [...Table.KeySchema].sort((a, b) => (a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0));
      return hashFirst.map((key) => key.AttributeName);
    } catch (error) {
      if (error instanceof DynamoDbError && error.status === 400) throw new UncapturableWrite(error.message);
      throw error;
    }
  }
}

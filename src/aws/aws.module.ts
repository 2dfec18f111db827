import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AppConfig } from '../config/app-config';
import { createDynamoDbClient } from './aws-clients';

export const DYNAMODB = Symbol('DYNAMODB');

@Global()
@Module({
  providers: [{ provide: DYNAMODB, inject: [AppConfig], useFactory: (c: AppConfig) => createDynamoDbClient(c.env) }],
  exports: [DYNAMODB],
})
export class AwsModule implements OnApplicationShutdown {
  constructor(@Inject(DYNAMODB) private readonly dynamodb: DynamoDBClient) {}
  onApplicationShutdown(): void {
    this.dynamodb.destroy();
  }
}

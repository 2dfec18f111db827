/** The part of aws-kcl 2.3's untyped API the bridge uses: `require('aws-kcl')(processor).run()`. */
declare module 'aws-kcl' {
  function kcl(recordProcessor: object, input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream, error?: NodeJS.WritableStream): { run(): void };
  export = kcl;
}

import { PassThrough } from "stream";

const streamFunction = require("../../functions/stream");

/** A stand-in for the runtime's HttpResponseStream: records the metadata, passes writes through. */
function runtime() {
  const seen: { metadata?: object } = {};
  return {
    seen,
    HttpResponseStream: {
      from(stream: NodeJS.WritableStream, metadata: object) {
        seen.metadata = metadata;
        return stream;
      },
    },
  };
}

async function run(query: Record<string, string> | null) {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (c) => chunks.push(String(c)));
  const fake = runtime();
  const pauses: number[] = [];
  await streamFunction.stream({ queryStringParameters: query }, out, fake, async (ms: number) => void pauses.push(ms));
  return { metadata: fake.seen.metadata, chunks, pauses };
}

describe("stream handler", () => {
  test("sends the metadata first, then one line per part, pausing between parts", async () => {
    const { metadata, chunks, pauses } = await run({ parts: "3" });
    expect(metadata).toEqual({ statusCode: 200, headers: { "content-type": "application/x-ndjson" } });
    expect(chunks).toEqual(['{"part":1,"of":3}\n', '{"part":2,"of":3}\n', '{"part":3,"of":3}\n']);
    expect(pauses).toEqual([200, 200]);
  });

  test("defaults to five parts", async () => {
    expect((await run(null)).chunks).toHaveLength(5);
  });

  test.each([["0"], ["21"], ["2.5"], ["many"]])("answers 400 to parts=%s", async (parts) => {
    const { metadata, chunks } = await run({ parts });
    expect(metadata).toMatchObject({ statusCode: 400 });
    expect(JSON.parse(chunks[0])).toEqual({ message: "parts must be a whole number from 1 to 20" });
  });

  test("the handler is the runtime's streamifyResponse wrapper", () => {
    const wrapped = jest.fn((handler: unknown) => ({ wrapped: handler }));
    (globalThis as any).awslambda = { streamifyResponse: wrapped, HttpResponseStream: runtime().HttpResponseStream };
    try {
      jest.isolateModules(() => {
        const loaded = require("../../functions/stream");
        expect(wrapped).toHaveBeenCalledTimes(1);
        expect(loaded.handler).toEqual({ wrapped: expect.any(Function) });
      });
    } finally {
      delete (globalThis as any).awslambda;
    }
  });
});

# One image, every role. ROLES picks scheduler / poll-worker / creation-worker for `node dist/src/main.js`;
# the stream processor runs under the KCL MultiLangDaemon (Java) with the CMD shown at the bottom.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# The KCL daemon needs a JRE; its jars are fetched from Maven Central here, at build time, never at run time.
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
# Memory (README, "Memory"): V8 keeps the old generation near the live set only when it has a limit, and a
# 1 MiB semi-space keeps short-lived parse garbage small; glibc's per-thread arenas and its growing mmap
# threshold otherwise keep freed compiler and socket memory resident. `npm run bench` runs the poll worker
# with exactly these lines. 128 MiB is about four times a busy worker's live heap.
ENV NODE_OPTIONS="--max-semi-space-size=1 --max-old-space-size=128"
ENV MALLOC_ARENA_MAX=2
ENV MALLOC_MMAP_THRESHOLD_=16384
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
COPY kcl ./kcl
RUN node node_modules/aws-kcl/bin/kcl-bootstrap --properties kcl/stream-processor.properties --java /usr/bin/java > /dev/null
USER node
# Application roles (default: all). For the stream processor use:
#   CMD ["node", "node_modules/aws-kcl/bin/kcl-bootstrap", "--execute", "--java", "/usr/bin/java", "--properties", "kcl/stream-processor.properties"]
CMD ["node", "dist/src/main.js"]

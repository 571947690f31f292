# syntax=docker/dockerfile:1
# The affineur image: one image for `affineur bot`, `affineur proxy` and `affineur sandbox`
# (the command is the first argument; `bot` by default). See docs/deploy.md.
#
#   docker build -t affineur .
#   docker run --env-file .env -e REDIS_URL=redis://redis:6379 -p 3000:3000 affineur bot
#
# BASE_IMAGE is any image with Node >= 20.18 and npm at /usr/local/bin (Node's official images
# have that layout). It is an argument so the image builds where no registry can be reached:
# the tests build on an image imported from the machine's own Node.
ARG BASE_IMAGE=node:20-slim

# 1. Production dependencies only, exactly as locked. Install scripts are off: none of the
#    production packages needs one (esbuild's binary comes from its optional platform package).
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# An npm cache in the build context (`.npm-cache/`, never committed) lets the image build with
# no registry at all (air-gapped builders, the tests); without one, npm fetches as usual. The
# lock file is listed too so this COPY has a source when the cache is absent.
COPY package-lock.json .npm-cach[e] /tmp/npm-cache/
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
RUN ["npm", "ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--cache", "/tmp/npm-cache"]

# 2. The runtime: sources run through tsx (a production dependency), as `bin/affineur.js` does
#    everywhere, so the image is the same code the tests run.
FROM ${BASE_IMAGE}
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json app.yml ./
COPY bin ./bin
COPY src ./src
COPY bot ./bot
COPY proxy ./proxy
COPY release ./release
COPY demo ./demo
COPY schema ./schema
COPY docker/healthcheck.mjs ./docker/healthcheck.mjs
# Files stay root-owned and read-only to the process: a compromised bot cannot rewrite itself.
# uid 1000 is the `node` user of Node's images; numeric so images without /etc/passwd work too.
USER 1000:1000
EXPOSE 3000
# The bot's /healthz (the app and its queue). For `proxy`, point HEALTHCHECK_URL at its ping
# endpoint (http://127.0.0.1:8080/ping); `--no-healthcheck` turns it off.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/bin/affineur.js"]
CMD ["bot"]

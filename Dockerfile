# Portcullis runs TypeScript directly on Node 24 (type stripping): there is no build step, so the
# first stage only installs the production dependencies (`npm ci --omit=dev`: no TypeScript, test
# tools or the pinned `node` package) and the final one copies them beside the code that runs,
# without npm, on a slim Node 24 image, as the unprivileged `node` user.
# test/deploy/deploy-files.test.ts checks these properties.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
# npm and corepack are not needed to run, and are code an attacker could use: the CLI runs as
# `node src/cli/index.ts …`.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
  && mkdir -p /app/data /app/certs && chown node:node /app/data /app/certs
COPY --from=dependencies /app/node_modules ./node_modules
# package.json says `"type": "module"`, which is how Node reads the .ts files.
COPY package.json ./
COPY src ./src
COPY views ./views
COPY migrations ./migrations
COPY sandbox ./sandbox
USER node
EXPOSE 8443 8444 8445 8446
# Readiness (`/readyz`: the process answers and its store does) on the first listener this
# process's ROLES opened: browser, partner, then public API. Only the process's own certificate is
# met on loopback, so it is not verified here.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["node", "-e", "const https = require('node:https'); const env = process.env; const ports = [env.HTTPS_PORT || 8443, env.MTLS_PORT || 8444, env.GATEWAY_PORT || 8445]; const probe = (i) => i === ports.length ? process.exit(1) : https.get({ host: '127.0.0.1', port: ports[i], path: '/readyz', rejectUnauthorized: false }, (res) => process.exit(res.statusCode === 200 ? 0 : 1)).on('error', () => probe(i + 1)); probe(0);"]
CMD ["node", "src/main.ts"]

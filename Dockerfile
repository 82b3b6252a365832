# Portcullis runs TypeScript directly on Node 24 (type stripping): no build step.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY views ./views
COPY migrations ./migrations
COPY sandbox ./sandbox
RUN mkdir -p /app/data /app/certs && chown node:node /app/data /app/certs
USER node
EXPOSE 8443 8444
CMD ["node", "src/main.ts"]

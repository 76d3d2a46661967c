# syntax=docker/dockerfile:1.7
# BankApp image: web build -> static Go binary -> distroless, non-root.
# Checked offline by deploy/docker/dockerfile_test.go (no Docker engine in CI
# images of this project); built and scanned by .github/workflows/ci.yml.
# Base images are pinned to exact versions; the deploy workflows record the
# resolved digests, and Dependabot (docker ecosystem) bumps them.

FROM node:20.20.2-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build

FROM golang:1.26.10-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/web/dist ./web/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/bankapp ./cmd/bankapp

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /out/bankapp /bankapp
ENV BANKAPP_ADDR=:3001 \
    BANKAPP_DATA_DIR=/tmp/bankapp \
    LOG_FORMAT=json
USER 65532:65532
EXPOSE 3001
# No shell or curl in the image: the binary probes its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/bankapp", "healthcheck"]
# SIGTERM starts the app's 25 s drain; ECS waits 30 s (stopTimeout).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bankapp"]
CMD ["serve"]

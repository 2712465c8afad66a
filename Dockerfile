# syntax=docker/dockerfile:1
# hled-monitor: build in one stage, run from a slim image as a non-root user.
# `--build-arg BROWSER=true` builds the browser variant: Debian's chromium and Playwright, for
# sources with fetch = "auto" | "browser". The default image has neither (see README: Docker).
ARG BROWSER=false

FROM python:3.11-slim AS build
ARG BROWSER
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY monitor ./monitor
COPY notifiers ./notifiers
COPY store ./store
# Dependencies pinned by constraints.txt, the same pins the tests run with.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install -c constraints.txt ".$([ "$BROWSER" = true ] && echo '[browser]')"

FROM python:3.11-slim
ARG BROWSER
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MONITOR_CONFIG=/app/sources.toml \
    MONITOR_DATABASE_URL=sqlite:////data/monitor.db \
    MONITOR_LISTEN=0.0.0.0:8080
# Chromium from the operating system's package: Playwright never downloads a browser.
RUN if [ "$BROWSER" = true ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends chromium \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# uid/gid 10001 owns /data: a bind-mounted folder must be writable by it (README: Container).
RUN groupadd --system --gid 10001 monitor \
 && useradd --system --uid 10001 --gid monitor --home-dir /app --shell /usr/sbin/nologin monitor \
 && mkdir -p /data /app \
 && chown monitor:monitor /data
COPY --from=build /opt/venv /opt/venv
COPY sources.toml /app/sources.toml
WORKDIR /app
USER monitor
VOLUME ["/data"]
EXPOSE 8080
# The probe asks /healthz wherever MONITOR_LISTEN says `run` listens (monitor/service/probe.py).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-m", "monitor.service.probe"]
ENTRYPOINT ["python", "-m", "monitor"]
CMD ["run"]

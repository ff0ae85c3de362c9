from __future__ import annotations

import argparse

from stormwatch.cli.django_setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = subparsers.add_parser("serve", help="run the web app and the monitoring pipeline")
    cmd.add_argument("--host", default="127.0.0.1")
    cmd.add_argument("--port", type=int, default=8000)
    cmd.add_argument("--threads", type=int, default=8)
    cmd.add_argument("--no-pipeline", action="store_true", help="serve the web app only")
    cmd.set_defaults(handler=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from waitress import serve

    from stormwatch.pipeline.service import PipelineService
    from stormwatch.sources.builders import SOURCE_BUILDERS
    from stormwatch.wsgi import application

    if settings.STORMWATCH_RUN_PIPELINE and not args.no_pipeline:
        PipelineService(builders=SOURCE_BUILDERS).start_thread()
        print("pipeline running")
    print(f"Stormwatch at http://{args.host}:{args.port}/", flush=True)
    serve(
        application,
        host=args.host,
        port=args.port,
        threads=args.threads,
        max_request_body_size=settings.STORMWATCH_MAX_REQUEST_BYTES + 1024,
        ident="stormwatch",
    )
    return 0

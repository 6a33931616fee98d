"""``healthplan serve`` (the web site) and ``healthplan users …`` (web users and API tokens)."""

from __future__ import annotations

import getpass
import secrets
from typing import Annotated

import typer
from rich.table import Table

from healthplan.clikit import Format, console, context_of, print_json
from healthplan.domain.problems import HealthplanError
from healthplan.store.users import Role, create_token, create_user, get_user, list_users, update_user

app = typer.Typer(help="网站用户与 API 令牌 / web users and API tokens", no_args_is_help=True)


def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option(help="监听地址 / address to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
          workers: Annotated[int | None, typer.Option(
              min=1, max=64, help="工作进程数（各自一个分析引擎；默认每个处理器核一个，最多 4 个）/ worker processes "
                                  "(each with its own engine; default one per core, at most 4)")] = None) -> None:
    """启动网站（前台运行，Ctrl-C 停止）/ run the web site in the foreground."""
    from healthplan.web.server import default_workers
    from healthplan.web.server import serve as run

    run(context_of(ctx).ready(), host, port, workers if workers is not None else default_workers())


def _password(given: str | None, generate: bool) -> tuple[str, bool]:
    """The password to set and whether it was generated (then it is printed once)."""
    if given:
        return given, False
    if generate:
        return secrets.token_urlsafe(12), True
    first = getpass.getpass("口令 / password: ")
    if first != getpass.getpass("再输一次 / again: "):
        raise HealthplanError("两次输入的口令不一致", "the passwords differ")
    return first, False


@app.command("add")
def add(ctx: typer.Context, username: str,
        role: Annotated[Role, typer.Option(help="admin / planner / editor / analyst / viewer")],
        scope: Annotated[str, typer.Option(help="管辖区划代码，如 140525 / org unit code of the scope")],
        name: Annotated[str, typer.Option(help="显示名称 / display name")] = "",
        password: Annotated[str | None, typer.Option(envvar="HEALTHPLAN_NEW_PASSWORD",
                                                     help="口令（默认交互输入）/ password")] = None,
        generate: Annotated[bool, typer.Option(help="生成随机口令并显示一次 / generate one")] = False) -> None:
    """新建网站用户 / create a web user."""
    c = context_of(ctx)
    secret, generated = _password(password, generate)
    with c.ready().transaction() as session:
        user = create_user(session, username, secret, role, scope, c.user, name)
    console.print(f"已新建用户 / created: {user.username}（{user.role.label}，{user.scope}）")
    if generated:
        console.print(f"口令 / password: [bold]{secret}[/]")


@app.command("list")
def list_(ctx: typer.Context, format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """列出网站用户 / list web users."""
    with context_of(ctx).ready().sessions() as session:
        people = list_users(session)
    if format is Format.JSON:
        print_json([u.to_json() for u in people])
        return
    table = Table(title="网站用户 / web users")
    for column in ("用户名", "名称", "角色", "范围", "状态"):
        table.add_column(column)
    for u in people:
        table.add_row(u.username, u.display_name, u.role.label, u.scope, "启用" if u.active else "停用")
    console.print(table)


@app.command("passwd")
def passwd(ctx: typer.Context, username: str,
           password: Annotated[str | None, typer.Option(envvar="HEALTHPLAN_NEW_PASSWORD")] = None,
           generate: Annotated[bool, typer.Option(help="生成随机口令并显示一次")] = False) -> None:
    """重设口令（该用户的会话全部失效）/ reset a password (ends the user's sessions)."""
    c = context_of(ctx)
    secret, generated = _password(password, generate)
    with c.ready().transaction() as session:
        update_user(session, username, c.user, password=secret, reason="cli passwd")
    console.print(f"已重设口令 / password reset: {username}")
    if generated:
        console.print(f"口令 / password: [bold]{secret}[/]")


@app.command("disable")
def disable(ctx: typer.Context, username: str) -> None:
    """停用用户 / disable a user."""
    c = context_of(ctx)
    with c.ready().transaction() as session:
        update_user(session, username, c.user, active=False)
    console.print(f"已停用 / disabled: {username}")


@app.command("token")
def token(ctx: typer.Context, username: str,
          name: Annotated[str, typer.Option(help="令牌用途 / what the token is for")] = "script") -> None:
    """为用户生成 API 令牌（只显示一次）/ make an API token for a user (shown once)."""
    c = context_of(ctx)
    with c.ready().transaction() as session:
        _token, secret = create_token(session, get_user(session, username), name, c.user)
    console.print(f"API 令牌 / token for {username} ({name}):")
    print(secret)

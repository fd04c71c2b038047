"""A Sphinx directive that runs its Python code when the site builds and shows the code with the
output it printed, so that no printed output in the documentation can go stale.

    ```{run}
    import twitchnet
    twitchnet.diagnose({"tingling": True}).triage
    ```

The blocks of one page share a namespace, top to bottom. What a block prints (standard output and
standard error) goes below it; a last
line that is an expression is shown as in a Python session (its ``repr``; ``print`` for text
results such as a diagnosis). An exception fails the build (Sphinx reports the page and line), so
with ``-W`` a broken example is a broken build. ``:hide-code:`` shows the output only; ``:hide-output:``
runs the code and shows it without output.
"""

from __future__ import annotations

import ast
import contextlib
import io
import traceback

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective


class RunDirective(SphinxDirective):
    has_content = True
    option_spec = {"hide-code": directives.flag, "hide-output": directives.flag}

    def run(self):
        code = "\n".join(self.content)
        namespace = self.env.temp_data.setdefault("twitchnet_run_ns", {"__name__": "__docs__"})
        out = io.StringIO()
        try:
            tree = ast.parse(code)
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            if last is not None:
                tree.body = tree.body[:-1]
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                exec(compile(tree, f"<{self.env.docname}>", "exec"), namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), f"<{self.env.docname}>", "eval"), namespace)
                    if value is not None and not (isinstance(value, tuple) and value and all(v is None or hasattr(v, "figure") for v in value)):
                        print(value if _prints_as_text(value) else repr(value))
        except Exception:
            raise self.error(f"the example failed when the documentation was built:\n{code}\n\n{traceback.format_exc(limit=-3)}")
        result = []
        if "hide-code" not in self.options:
            block = nodes.literal_block(code, code, language="python")
            result.append(block)
        text = out.getvalue().rstrip("\n")
        if text and "hide-output" not in self.options:
            result.append(nodes.literal_block(text, text, language="text", classes=["twitchnet-output"]))
        return result


def _prints_as_text(value):
    """A diagnosis, an evaluation, a frame: shown as ``print`` shows it, not as its repr."""
    return type(value).__module__.split(".")[0] in ("twitchnet", "pandas") and not isinstance(value, (str, bytes))


def _clear(app, docname, source):
    app.env.temp_data.pop("twitchnet_run_ns", None)


def setup(app):
    app.add_directive("run", RunDirective)
    app.connect("source-read", _clear)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

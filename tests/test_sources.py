import pytest

from crawler.sources import SourcesError, load_sources


def write(tmp_path, text):
    p = tmp_path / "sources.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_minimal_entry(tmp_path):
    s = load_sources(
        write(tmp_path, '[sources.a]\nname = "A"\nstart_urls = ["https://a.gov.vn/"]\n')
    )
    assert (
        s["a"].name == "A"
        and s["a"].start_urls == ("https://a.gov.vn/",)
        and s["a"].province is None
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sources.a]\nstart_urls = ['https://a.vn/']\n", "[sources.a] 'name' is required"),
        ("[sources.a]\nname = 'A'\n", "[sources.a] 'start_urls' is required"),
        ("[sources.a]\nname = 'A'\nstart_urls = ['ftp://a.vn/']\n", "is not an http(s) URL"),
        ("[sources.a]\nname = 'A'\nstart_urls = ['https://a.vn/']\ndeny = ['(']\n", "bad regex"),
        (
            "[sources.a]\nname = 'A'\nstart_urls = ['https://a.vn/']\ncolour = 1\n",
            "unknown field(s): colour",
        ),
        ("[sources.a\nname = 'A'\n", "not valid TOML"),
        ("title = 'x'\n", "no [sources.KEY] tables"),
    ],
)
def test_errors_name_file_key_and_problem(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SourcesError) as err:
        load_sources(path)
    assert message in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(SourcesError, match="no such sources file"):
        load_sources(tmp_path / "nope.toml")


def test_default_registry_is_valid():
    sources = load_sources()
    assert len(sources) >= 10
    assert all(s.start_urls for s in sources.values())


def test_select_sources_by_key(tmp_path):
    from crawler.sources import select_sources

    path = write(
        tmp_path,
        '[sources.a]\nname = "A"\nstart_urls = ["https://a.vn/"]\n'
        '[sources.b]\nname = "B"\nstart_urls = ["https://b.vn/"]\n',
    )
    assert list(select_sources(path, [])) == ["a", "b"]
    assert list(select_sources(path, ["b"])) == ["b"]
    with pytest.raises(SourcesError, match=r"unknown source key\(s\): c \(known: a, b\)"):
        select_sources(path, ["c"])

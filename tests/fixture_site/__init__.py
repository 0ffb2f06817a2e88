"""Tests of the fixture outlet (crawler.fixture_site)."""

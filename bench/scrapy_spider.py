# SPDX-License-Identifier: MIT
"""Scrapy's side of `make bench-peers`: the Bergstadt site crawled as
bench/bergstadt.ini crawls it (the same links followed, the same fields
extracted with the same CSS selectors), with the same politeness: 64
requests at once, no delay, robots.txt obeyed. Items are kept in memory
only as a count, so Scrapy pays no more for output than it must.

Run by bench/run.sh as:
  python3 -m scrapy runspider bench/scrapy_spider.py \
      -a start=http://127.0.0.1:PORT/verzeichnis/ -a count=FILE
"""
import re

import scrapy


class BergstadtSpider(scrapy.Spider):
    name = "bergstadt"
    custom_settings = {
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 64,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }

    def __init__(self, start=None, count=None, **kw):
        super().__init__(**kw)
        self.start_urls = [start]
        self.allow = re.compile("^" + re.escape(start))
        self.count_file = count
        self.pages = 0
        self.items = 0

    def parse(self, response):
        self.pages += 1
        links = response.css("a[rel=next]::attr(href)").getall()
        links += response.css(".liste a.laden-link::attr(href)").getall()
        for href in links:
            url = response.urljoin(href)
            if self.allow.match(url):
                yield scrapy.Request(url, callback=self.parse)
        for it in response.css("article.laden"):
            rec = {
                "name": it.css("h1::text").get(),
                "categories": it.css(".kategorien .kategorie::text").getall(),
                "street": it.css(".adresse .strasse::text").get(),
                "postcode": it.css(".adresse .ort::text").re_first(r"(\d{5})"),
                "city": it.css(".adresse .ort::text").re_first(
                    r"\d{5}\s+(.+)"),
                "lat": it.css(".karte::attr(data-lat)").get(),
                "lon": it.css(".karte::attr(data-lon)").get(),
                "phone": it.xpath(
                    ".//a[starts-with(@href,'tel:')]//text()").get(),
                "email": it.css('a[href^="mailto:"]::attr(href)').get(),
                "website": it.css("a.web::attr(href)").get(),
                "opening_hours": it.css(".oeffnungszeiten::text").get(),
                "delivery": it.css(".services::attr(data-lieferung)").get(),
                "description": " ".join(
                    it.css(".beschreibung ::text").getall()).strip(),
            }
            if rec["name"]:
                self.items += 1

    def closed(self, reason):
        if self.count_file:
            with open(self.count_file, "w") as f:
                f.write("%d\n" % self.pages)

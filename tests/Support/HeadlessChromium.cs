using Appliance.Platform.Processes;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Appliance.Tests.Support;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven through Debian's <c>chromedriver</c> by Selenium. Both paths are given,
/// so Selenium never looks for (or downloads) a browser or a driver of its own. It reaches only the addresses a
/// test opens (background networking, updates and sync off), and accepts the fleet's self-signed certificate.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    private readonly ChromeDriver driver;
    private readonly TempDirectory profile = new();

    public HeadlessChromium()
    {
        var driverPath = ToolLocator.Find("chromedriver") ?? throw new InvalidOperationException("chromedriver is missing: scripts/setup installs chromium-driver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions
        {
            BinaryLocation = ToolLocator.Find("chromium") ?? throw new InvalidOperationException("chromium is missing: scripts/setup installs it"),
            AcceptInsecureCertificates = true,
        };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1100",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--user-data-dir=" + profile.Path);
        driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    /// <summary>Where the suite's screenshots go: beside the test results that scripts/test writes.</summary>
    public static string ScreenshotDirectory => Path.Combine(Checkout.Root, "artifacts", "test-results", "screenshots");

    public Uri Url => new(driver.Url);

    public string Title => driver.Title;

    public void Open(Uri address) => driver.Navigate().GoToUrl(address);

    public IWebElement Element(string id) => driver.FindElement(By.Id(id));

    public string Text(string id) => Element(id).Text;

    public string PageText => driver.FindElement(By.TagName("body")).Text;

    public void Type(string id, string text)
    {
        var field = Element(id);
        field.Clear();
        field.SendKeys(text);
    }

    /// <summary>Clicks and waits for the page the click loads (every action here is a form post or a link).</summary>
    public void Click(string id)
    {
        var before = driver.FindElement(By.TagName("html"));
        Element(id).Click();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                _ = before.TagName;
            }
            catch (StaleElementReferenceException)
            {
                return;
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"Clicking {id} loaded no page.");
    }

    /// <summary>A cookie the browser holds for the current site (to show what a request without the page's form token gets).</summary>
    public string? Cookie(string name) => driver.Manage().Cookies.GetCookieNamed(name)?.Value;

    /// <summary>Saves a PNG of the current page under <see cref="ScreenshotDirectory"/>; its path.</summary>
    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        // The whole page, not only the window: grow the window to the page's height for the picture.
        var window = driver.Manage().Window;
        var size = window.Size;
        var height = Convert.ToInt32(driver.ExecuteScript("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        window.Size = new System.Drawing.Size(size.Width, Math.Clamp(height + 40, size.Height, 4000));
        driver.GetScreenshot().SaveAsFile(path);
        window.Size = size;
        return path;
    }

    public void Dispose()
    {
        driver.Quit();
        driver.Dispose();
        profile.Dispose();
    }
}

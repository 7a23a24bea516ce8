# Builds the Windows app (dist\sosku\ with sosku.exe and sosku-cli.exe), smoke-tests
# the frozen program, makes the installer with Inno Setup and tries a silent
# per-user install and uninstall. Run from anywhere: pwsh installer\windows\build.ps1
# Needs Python 3.11 and Inno Setup 6 (ISCC.exe). Versions come from the lock files.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q --require-hashes -r requirements\build.txt
& $py -m pip install -q --no-deps .
if ($LASTEXITCODE -ne 0) { throw "pip failed" }
$version = (& $py -c "import sosku_desktop; print(sosku_desktop.__version__)").Trim()

& .venv\Scripts\pyinstaller.exe --noconfirm --clean --distpath dist --workpath build installer\sosku.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# The frozen program must start and its console companion must print.
$env:QT_QPA_PLATFORM = "offscreen"
$env:SOSKU_PASSPHRASE = "demo-passphrase-for-ci"
$reported = (& dist\sosku\sosku-cli.exe --version).Trim()
if ($reported -ne "sosku $version") { throw "sosku-cli --version said '$reported'" }
& dist\sosku\sosku-cli.exe --demo --smoke-test
if ($LASTEXITCODE -ne 0) { throw "smoke test failed" }
# RUNNER_TEMP on GitHub runners; the user's temp folder elsewhere.
$temp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { [System.IO.Path]::GetTempPath() }
$demo = Join-Path $temp "sosku-demo"
& dist\sosku\sosku-cli.exe demo-data --data-dir $demo
if ($LASTEXITCODE -ne 0) { throw "sosku demo-data failed" }
& dist\sosku\sosku-cli.exe check --data-dir $demo
if ($LASTEXITCODE -ne 0) { throw "sosku check failed on the demo store" }

$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
& $iscc "/DAppVersion=$version" installer\windows\sosku.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
$setup = "dist\sosku-desktop-$version-setup.exe"

# Silent per-user install, as IT would run it, then the installed CLI, then uninstall.
# Start-Process -Wait alone ignores the exit code: -PassThru and check it.
$install = Start-Process $setup -Wait -PassThru -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER", "/LOG=dist\install.log"
if ($install.ExitCode -ne 0) { throw "silent install failed ($($install.ExitCode)); see dist\install.log" }
$installed = Join-Path $env:LOCALAPPDATA "Programs\Sosku Desktop"
$reported = (& "$installed\sosku-cli.exe" --version).Trim()
if ($reported -ne "sosku $version") { throw "installed sosku-cli said '$reported'" }
$uninstall = Start-Process "$installed\unins000.exe" -Wait -PassThru -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"
if ($uninstall.ExitCode -ne 0) { throw "silent uninstall failed ($($uninstall.ExitCode))" }
Write-Host "built $setup"

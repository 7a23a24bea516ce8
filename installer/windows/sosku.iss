; Inno Setup script for Sosku Desktop (docs/deploy-windows.md).
; Built by installer\windows\build.ps1, which passes the version from
; sosku_desktop\__init__.py:  iscc /DAppVersion=X.Y.Z installer\windows\sosku.iss
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (build.ps1 does)
#endif

[Setup]
; Fixed forever: upgrades and uninstall find the installed copy by this id.
AppId={{6F3C2A71-5D0E-4B8C-9A41-2E7D5B9C0F13}
AppName=Sosku Desktop
AppVersion={#AppVersion}
AppVerName=Sosku Desktop {#AppVersion}
AppPublisher=Sosku
VersionInfoVersion={#AppVersion}
VersionInfoProductVersion={#AppVersion}
DefaultDirName={autopf}\Sosku Desktop
DefaultGroupName=Sosku Desktop
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=sosku-desktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\sosku.ico
UninstallDisplayIcon={app}\sosku.exe
UninstallDisplayName=Sosku Desktop
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Per user by default (no admin rights needed); IT installs per machine with
; /ALLUSERS, or forces per user with /CURRENTUSER.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
; A running Sosku is closed for the upgrade (silent installs too); the worker
; starts it again (RestartApplications=no: not behind their back).
CloseApplications=yes
RestartApplications=no
; The user's data (%LOCALAPPDATA%\Sosku) is not ours to remove: the
; uninstaller removes only the files this setup installed.

[Languages]
Name: "fi"; MessagesFile: "compiler:Languages\Finnish.isl"
Name: "sv"; MessagesFile: "compiler:Languages\Swedish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
; Unchecked: a silent install (SCCM/Intune) makes no desktop icon unless /TASKS="desktopicon".
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\sosku\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{autoprograms}\Sosku"; Filename: "{app}\sosku.exe"; IconFilename: "{app}\sosku.exe"
Name: "{autodesktop}\Sosku"; Filename: "{app}\sosku.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\sosku.exe"; Description: "{cm:LaunchProgram,Sosku}"; Flags: nowait postinstall skipifsilent
